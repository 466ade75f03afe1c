package io.jcontract;

import io.jcontract.ContractTemplate.Term;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.jcontract.EventType.CORE;
import static io.jcontract.EventType.EMPTY;
import static io.jcontract.EventType.EXIT;
import static io.jcontract.EventType.FORK;
import static io.jcontract.EventType.HWERR;
import static io.jcontract.EventType.SIGNAL;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Template terms, their validation, activation and the contracts made from them (SEMANTICS 1.1-1.3). */
@Timeout(10)
class TemplateTest {
    private final TestSupport ts = new TestSupport();

    @AfterEach
    void cleanUp() {
        ts.close();
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(TestSupport.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    // ------------------------------------------------------------------ defaults

    @Test
    void defaultsAreTheIllumosUserDefaults() {
        ContractTemplate t = ContractTemplate.process();
        assertAll(
                () -> assertEquals(EnumSet.of(CORE, SIGNAL), t.informativeSet()),
                () -> assertEquals(EnumSet.of(EMPTY, HWERR), t.criticalSet()),
                () -> assertEquals(EnumSet.of(HWERR), t.fatalSet()),
                () -> assertEquals(Set.of(), t.paramSet()),
                () -> assertEquals(0L, t.cookie()),
                () -> assertEquals(0, t.transfer()),
                () -> assertEquals("", t.creatorAux()),
                () -> assertNull(t.serviceIdentity()));
    }

    @Test
    void aContractFromADefaultTemplateCarriesTheDefaults() {
        var c = ts.create(ContractTemplate.process(), () -> { });
        ContractStatus s = c.contract().status(StatusDetail.ALL);
        assertAll(
                () -> assertEquals(EnumSet.of(CORE, SIGNAL), s.informative()),
                () -> assertEquals(EnumSet.of(EMPTY, HWERR), s.critical()),
                () -> assertEquals(EnumSet.of(HWERR), s.fatal()),
                () -> assertEquals(Set.of(), s.params()),
                () -> assertEquals(0L, s.cookie()),
                () -> assertEquals("", s.creatorAux()));
    }

    // ------------------------------------------------------------------ validation

    @ParameterizedTest
    @EnumSource(value = Term.class, names = {"INFORMATIVE", "CRITICAL", "FATAL", "PARAMS", "TRANSFER"})
    void numericTermsWiderThan32BitsAreInvalid(Term term) {
        long wide = 0x1_0000_0001L;
        var e = assertThrows(InvalidArgumentException.class, () -> ContractTemplate.process().set(term, wide));
        assertEquals(ContractError.EINVAL, e.error());
        assertTrue(e.getMessage().contains(term.name()), e.getMessage());
        assertTrue(e.getMessage().contains(Long.toString(wide)), e.getMessage());
        var n = assertThrows(InvalidArgumentException.class, () -> ContractTemplate.process().set(term, -1L));
        assertTrue(n.getMessage().contains(term.name()), n.getMessage());
    }

    @ParameterizedTest
    @ValueSource(longs = {0x1_0000_0000L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 0x1234_5678_9abc_def0L})
    void theCookieTakesAny64BitValue(long cookie) {
        ContractTemplate t = ContractTemplate.process().set(Term.COOKIE, cookie);
        assertEquals(cookie, t.cookie());
        assertEquals(cookie, ContractTemplate.process().cookie(cookie).cookie());
    }

    @Test
    void aWideCookieReachesTheContractStatus() {
        long cookie = 0xfeed_face_cafe_beefL;
        var c = ts.create(ContractTemplate.process().cookie(cookie), () -> { });
        assertEquals(cookie, c.contract().status().cookie());
    }

    @ParameterizedTest
    @EnumSource(value = Term.class, names = {"INFORMATIVE", "CRITICAL"})
    void eventSetsOutsideTheEventBitsAreInvalid(Term term) {
        ContractTemplate t = ContractTemplate.process();
        var e = assertThrows(InvalidArgumentException.class, () -> t.set(term, 0x40));
        assertEquals(ContractError.EINVAL, e.error());
        assertTrue(e.getMessage().contains("0x40"), e.getMessage());
        var e2 = assertThrows(InvalidArgumentException.class, () -> t.set(term, 0x7f));
        assertTrue(e2.getMessage().contains("0x7f"), e2.getMessage());
        // nothing changed
        assertEquals(EnumSet.of(CORE, SIGNAL), t.informativeSet());
        assertEquals(EnumSet.of(EMPTY, HWERR), t.criticalSet());
        // every bit inside 0x3f is fine
        t.set(term, io.jcontract.internal.Bits.EVENT_BITS);
        assertEquals(EnumSet.allOf(EventType.class), term == Term.INFORMATIVE ? t.informativeSet() : t.criticalSet());
    }

    @ParameterizedTest
    @EnumSource(value = EventType.class, names = {"EMPTY", "FORK", "EXIT"})
    void theFatalSetHoldsOnlyCoreSignalAndHwerr(EventType notFatal) {
        ContractTemplate t = ContractTemplate.process();
        var e = assertThrows(InvalidArgumentException.class, () -> t.fatal(notFatal, HWERR));
        assertEquals(ContractError.EINVAL, e.error());
        String bits = "0x" + Integer.toHexString(io.jcontract.internal.Bits.events(notFatal, HWERR));
        assertTrue(e.getMessage().contains(bits), e.getMessage());
        assertEquals(EnumSet.of(HWERR), t.fatalSet(), "a rejected fatal set must not be applied");
        var raw = assertThrows(InvalidArgumentException.class, () -> t.set(Term.FATAL, 0x40));
        assertTrue(raw.getMessage().contains("0x40"), raw.getMessage());
        t.fatal(CORE, SIGNAL, HWERR);
        assertEquals(EnumSet.of(CORE, SIGNAL, HWERR), t.fatalSet());
    }

    @Test
    void unknownParameterBitsAreInvalid() {
        ContractTemplate t = ContractTemplate.process();
        var e = assertThrows(InvalidArgumentException.class, () -> t.set(Term.PARAMS, 0x20));
        assertEquals(ContractError.EINVAL, e.error());
        assertTrue(e.getMessage().contains("0x20"), e.getMessage());
        assertEquals(Set.of(), t.paramSet());
        t.set(Term.PARAMS, io.jcontract.internal.Bits.PARAM_BITS);
        assertEquals(EnumSet.allOf(Param.class), t.paramSet());
    }

    @Test
    void aBlankServiceIdentityIsInvalid() {
        ContractTemplate t = ContractTemplate.process();
        for (String blank : new String[] {null, "", "   "}) {
            var e = assertThrows(InvalidArgumentException.class, () -> t.serviceIdentity(blank));
            assertEquals(ContractError.EINVAL, e.error());
            assertTrue(e.getMessage().contains("service identity"), e.getMessage());
        }
        assertNull(t.serviceIdentity());
        assertEquals("svc:/x", t.serviceIdentity("svc:/x").serviceIdentity());
    }

    // ------------------------------------------------------------------ transfer

    @Test
    void transferToAnUnknownContractIsNoSuchContract() {
        int unknown = 2_000_000_000;
        var e = assertThrows(NoSuchContractException.class,
                () -> ContractTemplate.process().set(Term.TRANSFER, unknown));
        assertEquals(ContractError.ESRCH, e.error());
        assertTrue(e.getMessage().contains(Integer.toString(unknown)), e.getMessage());
    }

    @Test
    void transferToAContractHeldBySomebodyElseIsAccessDenied() throws Exception {
        CompletableFuture<Contract> made = new CompletableFuture<>();
        CountDownLatch done = ts.gate();
        Thread other = ts.track(Thread.ofPlatform().name("other-holder").start(() -> {
            try (var a = ContractTemplate.process().activate()) {
                Thread m = ContractThreads.start(Thread.ofVirtual().uncaughtExceptionHandler(TestSupport.QUIET), () -> { });
                Contract k = Contracts.latest();
                m.join();                   // empty: only the holder check can refuse the transfer
                made.complete(k);
            } catch (Throwable t) {
                made.completeExceptionally(t);
                return;
            }
            TestSupport.park(done);
            made.join().abandon();
        }));
        Contract theirs = get(made);
        var e = assertThrows(ContractPermissionException.class,
                () -> ContractTemplate.process().set(Term.TRANSFER, theirs.id()));
        assertEquals(ContractError.EACCES, e.error());
        assertTrue(e.getMessage().contains(Integer.toString(theirs.id())), e.getMessage());
        var viaView = assertThrows(ContractPermissionException.class,
                () -> ContractTemplate.process().transfer(Contracts.lookup(theirs.id())));
        assertEquals(ContractError.EACCES, viaView.error());
        done.countDown();
        TestSupport.join(other);
        assertEquals(ContractState.DEAD, theirs.state());
    }

    @Test
    void transferToAHeldContractWithMembersIsNotEmpty() {
        CountDownLatch go = ts.gate();
        var busy = ts.create(ContractTemplate.process(), () -> TestSupport.park(go));
        var e = assertThrows(NotEmptyException.class,
                () -> ContractTemplate.process().transfer(busy.contract()));
        assertEquals(ContractError.ENOTEMPTY, e.error());
        assertTrue(e.getMessage().contains(Integer.toString(busy.id())), e.getMessage());
        // once its member is gone the same transfer is accepted
        go.countDown();
        TestSupport.join(busy.member());
        assertEquals(busy.id(), ContractTemplate.process().transfer(busy.contract()).transfer());
    }

    @Test
    void transferToAHeldEmptyContractAbandonsItWhenTheSuccessorIsCreated() {
        var old = ts.create(ContractTemplate.process(), () -> { });
        TestSupport.join(old.member());
        assertEquals(ContractState.OWNED, old.contract().state(), "an owned contract outlives its members");
        ContractTemplate t = ContractTemplate.process().set(Term.TRANSFER, old.id());
        assertEquals(old.id(), t.transfer());
        assertEquals(ContractState.OWNED, old.contract().state(), "setting the term alone changes nothing");

        var successor = ts.create(t, () -> { });
        assertNotEquals(old.id(), successor.id());
        assertEquals(ContractState.DEAD, old.contract().state(), "the transferred-from contract is abandoned");
        assertEquals(ContractState.OWNED, successor.contract().state());
        assertThrows(NoSuchContractException.class, () -> Contracts.lookup(old.id()));
        assertFalse(Contracts.ids().contains(old.id()));
    }

    @Test
    void activatingATransferToAContractThatDiedSinceIsNoSuchContract() {
        var old = ts.create(ContractTemplate.process(), () -> { });
        TestSupport.join(old.member());
        ContractTemplate t = ContractTemplate.process().transfer(old.contract());
        old.contract().abandon();
        var e = assertThrows(NoSuchContractException.class, t::activate);
        assertTrue(e.getMessage().contains(Integer.toString(old.id())), e.getMessage());
        assertFalse(ContractTemplate.isActive());
    }

    // ------------------------------------------------------------------ activation

    @Test
    void activationCopiesTheTerms() {
        ContractTemplate t = ContractTemplate.process().cookie(7).critical(EMPTY, HWERR).creatorAux("before");
        Contract c;
        try (var a = t.activate()) {
            t.cookie(8).critical(EMPTY).informative(FORK).creatorAux("after");
            ts.track(ContractThreads.startVirtual(() -> { }));
            c = ts.track(Contracts.latest());
        }
        ContractStatus s = c.status(StatusDetail.ALL);
        assertEquals(7L, s.cookie());
        assertEquals(EnumSet.of(EMPTY, HWERR), s.critical());
        assertEquals(EnumSet.of(CORE, SIGNAL), s.informative());
        assertEquals("before", s.creatorAux());
        // the edits are in the template for the next activation
        var next = ts.create(t, () -> { });
        assertEquals(8L, next.contract().status().cookie());
        assertEquals(EnumSet.of(EMPTY), next.contract().status().critical());
    }

    @Test
    void closingANestedActivationRestoresTheOuterOne() {
        assertFalse(ContractTemplate.isActive());
        try (var outer = ContractTemplate.process().cookie(1).activate()) {
            assertTrue(ContractTemplate.isActive());
            try (var inner = ContractTemplate.process().cookie(2).activate()) {
                ts.track(ContractThreads.startVirtual(() -> { }));
                assertEquals(2L, ts.track(Contracts.latest()).status().cookie());
            }
            assertTrue(ContractTemplate.isActive(), "closing the inner activation restores the outer one");
            ts.track(ContractThreads.startVirtual(() -> { }));
            assertEquals(1L, ts.track(Contracts.latest()).status().cookie());
        }
        assertFalse(ContractTemplate.isActive());
    }

    /** Issue 14, defect 12: activations nest; closing an outer one first is refused and changes nothing. */
    @Test
    void activationsClosedOutOfOrderAreRefusedAndLeaveNothingActive() {
        var a1 = ContractTemplate.process().cookie(1).activate();
        var a2 = ContractTemplate.process().cookie(2).activate();
        var e = assertThrows(IllegalStateException.class, a1::close);
        assertTrue(e.getMessage().contains("reverse order"), e.getMessage());
        ts.track(ContractThreads.startVirtual(() -> { }));
        assertEquals(2L, ts.track(Contracts.latest()).status().cookie(), "the refused close changed nothing");
        a2.close();
        assertTrue(ContractTemplate.isActive(), "the outer activation is still open");
        a1.close();
        assertFalse(ContractTemplate.isActive(), "every activation is closed: no template is active");
    }

    @Test
    void anActivationIsClosedOnlyByItsThread() throws Exception {
        var a = ContractTemplate.process().activate();
        try {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread t = Thread.ofPlatform().name("not-the-activator").start(() -> {
                try {
                    a.close();
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            TestSupport.join(t);
            var e = assertInstanceOf(IllegalStateException.class, thrown.get());
            assertTrue(e.getMessage().contains("not-the-activator"), e.getMessage());
            assertTrue(ContractTemplate.isActive(), "a refused close leaves the activation in place");
        } finally {
            a.close();
        }
        assertFalse(ContractTemplate.isActive());
    }

    @Test
    void clearDeactivates() {
        try (var a = ContractTemplate.process().activate()) {
            assertTrue(ContractTemplate.isActive());
            ContractTemplate.clear();
            assertFalse(ContractTemplate.isActive());
        }
        assertFalse(ContractTemplate.isActive());
    }

    @Test
    void anActivationIsPerThread() throws Exception {
        try (var a = ContractTemplate.process().activate()) {
            CompletableFuture<Boolean> elsewhere = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> elsewhere.complete(ContractTemplate.isActive()));
            assertFalse(get(elsewhere), "another (unrelated) thread has no active template");
        }
    }

    // ------------------------------------------------------------------ latest

    @Test
    void latestWithoutACreatedContractIsNoSuchContract() throws Exception {
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        CompletableFuture<Long> tid = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            tid.complete(Thread.currentThread().threadId());
            try {
                Contracts.latest();
                thrown.complete(null);
            } catch (Throwable e) {
                thrown.complete(e);
            }
        });
        var e = assertInstanceOf(NoSuchContractException.class, get(thrown));
        assertEquals(ContractError.ESRCH, e.error());
        assertTrue(e.getMessage().contains(Long.toString(get(tid))), e.getMessage());
    }

    @Test
    void latestNamesTheLastContractCreated() throws Exception {
        CompletableFuture<Integer> firstOwn = new CompletableFuture<>(), secondOwn = new CompletableFuture<>();
        var first = ts.create(ContractTemplate.process(), () -> firstOwn.complete(Contracts.current().id()));
        assertEquals(first.id(), Contracts.latest().id());
        var second = ts.create(ContractTemplate.process(), () -> secondOwn.complete(Contracts.current().id()));
        assertNotEquals(first.id(), second.id());
        assertEquals(second.id(), Contracts.latest().id());
        assertEquals(first.id(), get(firstOwn));
        assertEquals(second.id(), get(secondOwn));
        assertTrue(second.id() > first.id(), "ids are not reused and increase");
    }

    // ------------------------------------------------------------------ KEEP_EXEC

    record KeepExecResult(int memberContract, boolean activeInMember, int child1Contract, int child2Contract,
                          Contract latest1, Contract latest2, ContractStatus status1, Throwable latestError) {
    }

    private KeepExecResult runKeepExec(ContractTemplate t) throws Exception {
        CompletableFuture<KeepExecResult> result = new CompletableFuture<>();
        var c = ts.create(t, () -> {
            try {
                int own = Contracts.current().id();
                boolean active = ContractTemplate.isActive();
                CompletableFuture<Integer> k1 = new CompletableFuture<>(), k2 = new CompletableFuture<>();
                Thread c1 = ts.startChild(() -> k1.complete(Contracts.current().id()));
                Contract l1 = null, l2 = null;
                Throwable latestError = null;
                try {
                    l1 = Contracts.latest();
                } catch (NoSuchContractException e) {
                    latestError = e;
                }
                Thread c2 = ts.startChild(() -> k2.complete(Contracts.current().id()));
                try {
                    l2 = Contracts.latest();
                } catch (NoSuchContractException e) {
                    latestError = e;
                }
                TestSupport.joinQuietly(c1);
                TestSupport.joinQuietly(c2);
                ContractStatus s1 = l1 == null ? null : l1.status(StatusDetail.ALL);
                result.complete(new KeepExecResult(own, active, get(k1), get(k2), l1, l2, s1, latestError));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        KeepExecResult r = get(result);
        assertEquals(c.id(), r.memberContract());
        TestSupport.join(c.member());
        return r;
    }

    @Test
    void withoutKeepExecAMembersStartsJoinItsContract() throws Exception {
        KeepExecResult r = runKeepExec(ContractTemplate.process());
        assertFalse(r.activeInMember(), "the template copied at fork is cleared before the body runs");
        assertEquals(r.memberContract(), r.child1Contract());
        assertEquals(r.memberContract(), r.child2Contract());
        assertInstanceOf(NoSuchContractException.class, r.latestError(), "the member created no contract");
    }

    @Test
    void withKeepExecEachStartOfTheMemberMakesAContractItHolds() throws Exception {
        KeepExecResult r = runKeepExec(ContractTemplate.process().params(Param.KEEP_EXEC));
        assertTrue(r.activeInMember(), "KEEP_EXEC keeps the template active in the started thread");
        assertNotEquals(r.memberContract(), r.child1Contract());
        assertNotEquals(r.memberContract(), r.child2Contract());
        assertNotEquals(r.child1Contract(), r.child2Contract());
        assertEquals(r.child1Contract(), r.latest1().id());
        assertEquals(r.child2Contract(), r.latest2().id());
        ContractStatus s1 = r.status1();
        assertEquals(ContractState.OWNED, s1.state());
        assertEquals(s1.creatorId(), s1.ownerId(), "held by the member that created it");
        assertEquals(EnumSet.of(Param.KEEP_EXEC), r.latest1().status(StatusDetail.FIXED).params());
        // the member has ended: what it held was given up, and being empty died
        assertEquals(ContractState.DEAD, r.latest1().state());
        assertEquals(ContractState.DEAD, r.latest2().state());
    }

    // ------------------------------------------------------------------ service identity

    @Test
    void theServiceIdentityIsInheritedFromTheCreatorsContract() throws Exception {
        String fmri = "svc:/test/service:default";
        CountDownLatch hold = ts.gate();
        CompletableFuture<Contract> inner = new CompletableFuture<>();
        var outer = ts.create(ContractTemplate.process().serviceIdentity(fmri), () -> {
            try {
                Contract c;
                try (var a = ContractTemplate.process().activate()) {
                    ts.startChild(() -> TestSupport.park(hold));
                    c = Contracts.latest();
                }
                inner.complete(c);
            } catch (Throwable e) {
                inner.completeExceptionally(e);
                return;
            }
            TestSupport.park(hold);
        });
        Contract b = ts.track(get(inner));
        assertNotEquals(outer.id(), b.id());

        ContractStatus a = outer.contract().status(StatusDetail.ALL);
        assertEquals(fmri, a.serviceIdentity());
        assertEquals(outer.id(), a.serviceContractId(), "the contract that set the identity points at itself");
        assertEquals(outer.id(), outer.contract().status(StatusDetail.FIXED).serviceContractId());

        assertEquals(fmri, b.status(StatusDetail.ALL).serviceIdentity(), "inherited from the creator's contract");
        assertEquals(outer.id(), b.status(StatusDetail.FIXED).serviceContractId());
        assertEquals(outer.id(), b.status(StatusDetail.ALL).serviceContractId());
    }

    @Test
    void aContractCreatedFromTheRootInheritsTheRootIdentity() {
        var c = ts.create(ContractTemplate.process(), () -> { });
        ContractStatus root = Contracts.lookup(1).status(StatusDetail.ALL);
        ContractStatus s = c.contract().status(StatusDetail.ALL);
        assertEquals(root.serviceIdentity(), s.serviceIdentity());
        assertEquals(1, s.serviceContractId());
    }

    @Test
    void anOwnServiceIdentityOverridesTheInheritedOne() {
        var c = ts.create(ContractTemplate.process().serviceIdentity("svc:/own"), () -> { });
        ContractStatus s = c.contract().status(StatusDetail.ALL);
        assertEquals("svc:/own", s.serviceIdentity());
        assertEquals(c.id(), s.serviceContractId());
    }
}
