/** Start-up measurement (scripts/startup.sh): the JVM starts, loads this class, and exits. */
public final class Trivial {
    public static void main(String[] args) {
    }
}
