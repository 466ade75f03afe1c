package io.jcontract.stress;

import io.jcontract.Contract;
import io.jcontract.ContractKilledException;
import io.jcontract.ContractState;
import io.jcontract.ContractStatus;
import io.jcontract.ContractTemplate;
import io.jcontract.Contracts;
import io.jcontract.Param;
import io.jcontract.StatusDetail;
import io.jcontract.internal.Member;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import java.util.ArrayList;
import java.util.List;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Race 6, transfer (subsume) vs fork into the old contract. The transfer
 * term may only name an empty contract O, and only O's members can fork
 * into O, so nothing can fork into O itself; what can race with the
 * transfer is a fork inside a contract C that O holds (O is a regent and C
 * was inherited by it). The holder H forks with transfer = O, creating N:
 * C moves from O to N, O is abandoned. Meanwhile C's member forks a task
 * into C. Afterwards C is INHERITED by N (listed once by N, never by O), O
 * is DEAD, and C's new task is C's pending member: the move neither loses
 * nor refuses the fork.
 *
 * <p>r1: 1 if C is INHERITED with N as its regent. r2: how many times N
 * lists C. r3: 1 if O is DEAD and lists nothing. r4: the fork in C, 0 done
 * (and C counts the task), 1 refused, 2 done but not counted.
 */
@JCStressTest
@Outcome(id = "1, 1, 1, 0", expect = ACCEPTABLE, desc = "C moved to N whole; the fork in C went through")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "C was not moved to N (or lost its inheritance)")
@Outcome(id = "1, [02-9], .*", expect = FORBIDDEN, desc = "N does not list C exactly once")
@Outcome(id = "1, 1, 0, .*", expect = FORBIDDEN, desc = "O survived the transfer or still lists C")
@Outcome(id = "1, 1, 1, [1-9]", expect = FORBIDDEN, desc = "the fork in C was refused or lost")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class TransferVsForkTest {
    private static final ContractTemplate REGENT = ContractTemplate.process().params(Param.REGENT);
    private static final ContractTemplate INHERIT = ContractTemplate.process().params(Param.INHERIT);

    private final Member holder = Puppets.fork();
    private final Contract old;
    private final Contract c;
    private final ContractTemplate successorTerms;
    private final List<Runnable> cTasks = new ArrayList<>();
    private final List<Runnable> forked = new ArrayList<>();
    private int fork = -1;
    private Contract successor;
    private Member successorFirst;

    public TransferVsForkTest() {
        Contract[] o = new Contract[1], cc = new Contract[1];
        ContractTemplate[] t = new ContractTemplate[1];
        Puppets.act(holder, () -> {
            Member oFirst;
            try (var active = REGENT.activate()) {
                oFirst = Puppets.fork();
            }
            o[0] = Contracts.latest();
            Puppets.act(oFirst, () -> {     // O's member creates C, then leaves it to O
                Member cFirst;
                try (var active = INHERIT.activate()) {
                    cFirst = Puppets.fork();
                }
                cc[0] = Contracts.latest();
                Puppets.act(cFirst, () -> Puppets.capturing(cTasks).execute(this::forkInC));
                Puppets.exit(cFirst);
            });
            Puppets.exit(oFirst);
            t[0] = ContractTemplate.process().params(Param.REGENT).transfer(o[0]);
        });
        old = o[0];
        c = cc[0];
        successorTerms = t[0];
        if (c.state() != ContractState.INHERITED) throw new IllegalStateException("C not inherited");
    }

    private void forkInC() {
        try {
            Puppets.capturing(forked).execute(() -> { });
            fork = 0;
        } catch (ContractKilledException e) {
            fork = 1;
        }
    }

    @Actor
    public void holderForks() {
        Puppets.act(holder, () -> {
            try (var active = successorTerms.activate()) {
                successorFirst = Puppets.fork();
            }
            successor = Contracts.latest();
        });
    }

    @Actor
    public void memberOfC() {
        cTasks.get(0).run();
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        ContractStatus cs = c.status(StatusDetail.ALL);
        r.r1 = cs.state() == ContractState.INHERITED && cs.regentId() == successor.id() ? 1 : 0;
        int listed = 0;
        for (int id : successor.status(StatusDetail.ALL).inherited()) if (id == c.id()) listed++;
        r.r2 = listed;
        ContractStatus os = old.status(StatusDetail.ALL);
        r.r3 = os.state() == ContractState.DEAD && os.inherited().isEmpty() ? 1 : 0;
        r.r4 = fork != 0 ? fork : cs.pendingTasks() == 1 ? 0 : 2;
        for (Runnable task : forked) task.run();
        Puppets.exit(successorFirst);
        Puppets.exit(holder);       // N is abandoned; it dies empty and abandons C
    }
}
