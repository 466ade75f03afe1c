package io.jcontract.stress;

import io.jcontract.Contract;
import io.jcontract.ContractBusyException;
import io.jcontract.ContractTemplate;
import io.jcontract.Contracts;
import io.jcontract.InvalidArgumentException;
import io.jcontract.NoSuchContractException;
import io.jcontract.Param;
import io.jcontract.internal.Member;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Set-up shared by the inheritance races (4, 5, 13): a REGENT contract R
 * whose member S (a puppet) holds an INHERIT contract C.
 *
 * <p>R is built by {@link Puppets#held}; its first pending task, run here
 * on the constructor's thread, forks S into R, and S creates C, whose own
 * first member (a puppet) leaves C holding only the tasks {@code cTasks}
 * hands out. The rest of R's pending tasks are left to the test.
 */
final class Regents {
    static final ContractTemplate REGENT = ContractTemplate.process().params(Param.REGENT);

    private Regents() {
    }

    /** R, the member S of R, C held by S, and C's pending tasks. */
    record Family(Puppets.Held r, Member s, Contract c, List<Runnable> cTasks) {
        List<Runnable> rTasks() {
            return r.tasks().subList(1, r.tasks().size());
        }
    }

    /**
     * Builds the family. {@code inheritTerms} are C's terms (they should have
     * INHERIT); {@code cBodies} become C's pending tasks; {@code rBodies}
     * R's, after the set-up task.
     */
    static Family build(ContractTemplate inheritTerms, List<Runnable> cBodies, Runnable... rBodies) {
        Member[] s = new Member[1];
        Contract[] c = new Contract[1];
        List<Runnable> cTasks = new ArrayList<>();
        Runnable setUp = () -> {
            s[0] = Puppets.fork();
            Puppets.act(s[0], () -> {
                Member first;
                try (var active = inheritTerms.activate()) {
                    first = Puppets.fork();
                }
                c[0] = Contracts.latest();
                Puppets.act(first, () -> {
                    var ex = Puppets.capturing(cTasks);
                    for (Runnable b : cBodies) ex.execute(b);
                });
                Puppets.exit(first);
            });
        };
        Runnable[] all = new Runnable[rBodies.length + 1];
        all[0] = setUp;
        System.arraycopy(rBodies, 0, all, 1, rBodies.length);
        Puppets.Held r = Puppets.held(REGENT, all);
        r.tasks().get(0).run();
        return new Family(r, s[0], c[0], cTasks);
    }

    static final int WON = 0, BUSY = 1, GONE = 2, DENIED = 3;

    /** Adopts {@code id} as the calling member; {@code then} gets the handle if it won. */
    static int adopt(int id, Consumer<Contract> then) {
        try {
            Contract h = Contracts.adopt(id);
            then.accept(h);
            return WON;
        } catch (ContractBusyException e) {
            return BUSY;
        } catch (InvalidArgumentException | NoSuchContractException e) {
            return GONE;
        } catch (RuntimeException e) {
            return DENIED;
        }
    }
}
