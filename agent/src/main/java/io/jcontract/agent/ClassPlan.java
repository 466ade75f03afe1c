package io.jcontract.agent;

import net.bytebuddy.jar.asm.Type;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What {@link Sites} plans for one class: {@link Rule}s in the order they
 * were added, each a kind of method (its name, what its descriptor must be,
 * whether it is static) and the {@link Site} such a method gets. A method
 * gets the site of the first rule it matches, or none (null: the weaver
 * leaves it alone). Like {@link HookCall}, a plan is data rather than a
 * lambda per class, so that building it at start-up spins no classes.
 *
 * <p>Built on the installing thread before the weaver is registered and
 * never changed after, so the weaver's threads only read it.
 */
final class ClassPlan implements Function<Site.Shape, Site> {
    private final List<Rule> rules = new ArrayList<>();

    ClassPlan(Rule... rules) {
        add(rules);
    }

    /** Appends {@code more}: they apply to the methods no earlier rule matched. */
    void add(Rule... more) {
        for (Rule r : more) rules.add(r);
    }

    @Override
    public Site apply(Site.Shape m) {
        for (int i = 0, n = rules.size(); i < n; i++) {
            Rule r = rules.get(i);
            if (r.matches(m)) return r.site();
        }
        return null;
    }

    /** How a rule's {@code desc} is compared with the method's descriptor. */
    enum Desc {
        ANY, IS, STARTS_WITH, IS_NOT,
        /** The last argument's type descriptor is {@code desc} (a method without arguments does not match). */
        LAST_ARG_IS
    }

    /** Whether the method must be static. */
    enum Receiver { EITHER, STATIC, INSTANCE }

    /** Methods named {@code name} (or, with {@code namePrefix}, so beginning) whose descriptor and receiver fit. */
    record Rule(String name, boolean namePrefix, Desc how, String desc, Receiver receiver, Site site) {
        boolean matches(Site.Shape m) {
            if (namePrefix ? !m.name().startsWith(name) : !m.name().equals(name)) return false;
            if (receiver == Receiver.STATIC && !m.isStatic() || receiver == Receiver.INSTANCE && m.isStatic()) return false;
            return switch (how) {
                case ANY -> true;
                case IS -> m.desc().equals(desc);
                case STARTS_WITH -> m.desc().startsWith(desc);
                case IS_NOT -> !m.desc().equals(desc);
                case LAST_ARG_IS -> {
                    Type[] args = m.args();
                    yield args.length > 0 && args[args.length - 1].getDescriptor().equals(desc);
                }
            };
        }

        /** Only the static methods among those this rule matches. */
        Rule staticOnly() {
            return new Rule(name, namePrefix, how, desc, Receiver.STATIC, site);
        }

        /** Only the instance methods among those this rule matches. */
        Rule instanceOnly() {
            return new Rule(name, namePrefix, how, desc, Receiver.INSTANCE, site);
        }

        /** For a rule of any descriptor: any but {@code excluded}. */
        Rule unless(String excluded) {
            if (how != Desc.ANY) throw new IllegalStateException("unless() narrows a rule of any descriptor");
            return new Rule(name, namePrefix, Desc.IS_NOT, excluded, receiver, site);
        }

        /** For a rule of any descriptor: only those whose last argument is of type {@code typeDesc}. */
        Rule lastArg(String typeDesc) {
            if (how != Desc.ANY) throw new IllegalStateException("lastArg() narrows a rule of any descriptor");
            return new Rule(name, namePrefix, Desc.LAST_ARG_IS, typeDesc, receiver, site);
        }
    }

    /** Methods {@code name} with descriptor {@code desc}. */
    static Rule method(String name, String desc, Site site) {
        return new Rule(name, false, Desc.IS, desc, Receiver.EITHER, site);
    }

    /** Methods {@code name}, any descriptor. */
    static Rule named(String name, Site site) {
        return new Rule(name, false, Desc.ANY, null, Receiver.EITHER, site);
    }

    /** Methods whose name begins with {@code prefix}, any descriptor. */
    static Rule namedStarting(String prefix, Site site) {
        return new Rule(prefix, true, Desc.ANY, null, Receiver.EITHER, site);
    }

    /** Methods {@code name} whose descriptor begins with {@code descPrefix} (e.g. {@code "(I)"}: an int, nothing else). */
    static Rule descStarting(String name, String descPrefix, Site site) {
        return new Rule(name, false, Desc.STARTS_WITH, descPrefix, Receiver.EITHER, site);
    }
}
