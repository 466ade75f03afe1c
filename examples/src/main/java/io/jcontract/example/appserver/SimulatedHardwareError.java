package io.jcontract.example.appserver;

/**
 * A simulated hardware error: an {@link InternalError}, hence a
 * {@link VirtualMachineError}, which a contract reports as HWERR (SEMANTICS:
 * uncaught VM errors are the JVM's machine checks).
 */
final class SimulatedHardwareError extends InternalError {
    SimulatedHardwareError(String message) {
        super(message);
    }
}
