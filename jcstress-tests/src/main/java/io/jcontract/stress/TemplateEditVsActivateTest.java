package io.jcontract.stress;

import io.jcontract.Contract;
import io.jcontract.ContractStatus;
import io.jcontract.ContractTemplate;
import io.jcontract.Contracts;
import io.jcontract.Credential;
import io.jcontract.EventType;
import io.jcontract.Param;
import io.jcontract.Privilege;
import io.jcontract.StatusDetail;
import io.jcontract.internal.Bits;
import io.jcontract.internal.Member;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Race 10, template activation vs fork. Activation is thread-confined: a
 * template is activated on the calling thread only, its activation can be
 * closed only there, and activation copies the terms, so no API lets one
 * thread change what another thread's fork gets once it has activated. The
 * race that remains is on the template object itself, shared between a
 * thread that edits it and one that activates it: each edit must be seen
 * by the activation wholly or not at all. The edit here is one call that
 * changes three terms at once: an unprivileged thread sets PGRPONLY, which
 * moves HWERR from the critical to the informative set. The child's
 * contract has the old terms or the new ones, never a mix (a mix would
 * also break the privilege rule, or lose HWERR from both sets).
 *
 * <p>r1: 1 if the contract has PGRPONLY. r2: its critical set, r3: its
 * informative set (event bits).
 */
@JCStressTest
@Outcome(id = "0, 33, 24", expect = ACCEPTABLE, desc = "old terms: critical EMPTY+HWERR, informative CORE+SIGNAL")
@Outcome(id = "1, 1, 56", expect = ACCEPTABLE, desc = "new terms: PGRPONLY, critical EMPTY, informative CORE+SIGNAL+HWERR")
@Outcome(expect = FORBIDDEN, desc = "a mix of the old and new terms")
@State
public class TemplateEditVsActivateTest {
    private final ContractTemplate template = ContractTemplate.process();
    private final Member holder = Puppets.fork();
    private Contract child;
    private Member childFirst;

    @Actor
    public void editor() {
        // Dropping a privilege is idempotent; the editor is an ordinary thread.
        Credential now = Credential.current();
        if (now.has(Privilege.CONTRACT_EVENT)) now.without(Privilege.CONTRACT_EVENT).assume();
        template.params(Param.PGRPONLY);
    }

    @Actor
    public void forker() {
        Puppets.act(holder, () -> {
            try (var active = template.activate()) {
                childFirst = Puppets.fork();
            }
            child = Contracts.latest();
        });
    }

    @Arbiter
    public void arbiter(III_Result r) {
        ContractStatus s = child.status(StatusDetail.FIXED);
        r.r1 = s.params().contains(Param.PGRPONLY) ? 1 : 0;
        r.r2 = Bits.events(s.critical());
        r.r3 = Bits.events(s.informative());
        Puppets.exit(childFirst);
        Puppets.exit(holder);
    }
}
