package io.jcontract.bench;

import io.jcontract.Contracts;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * JMH state: the benchmark thread is the one member of a fresh contract for each iteration, so
 * that the threads and tasks it starts join that contract (see {@link Members} for how, and why
 * per iteration). Benchmarks that compare against plain JDK code take this state only in their
 * contract variants; the plain variant runs in the root contract, as any thread does.
 */
@State(Scope.Thread)
public class InContract {
    /** Set by {@link Main} in the forks of the agent pass: check that the agent really forks. */
    static final boolean EXPECT_AGENT = Boolean.getBoolean(Main.EXPECT_AGENT_PROPERTY);

    private Members members;
    private Members.Binding binding;

    @Setup(Level.Iteration)
    public void enter() {
        members = Members.open(1);
        binding = members.bind();
        if (EXPECT_AGENT) checkAgentForks();
    }

    /** A thread started with the plain JDK API must land in this contract, or the figures mean nothing. */
    private void checkAgentForks() {
        int[] seen = new int[1];
        try {
            Thread.ofVirtual().start(() -> seen[0] = Contracts.current().id()).join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        if (seen[0] != members.contract().id())
            throw new IllegalStateException("the agent is not forking: a thread started in contract "
                    + members.contract().id() + " ran in contract " + seen[0]);
    }

    @TearDown(Level.Iteration)
    public void leave() {
        binding.release();
        members.close();
    }
}
