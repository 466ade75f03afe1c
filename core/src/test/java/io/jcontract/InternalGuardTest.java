package io.jcontract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jcontract.internal.ContractTable;
import io.jcontract.internal.Credentials;
import io.jcontract.internal.ThreadDumpView;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * On the class path every public class of {@code io.jcontract.internal} is reachable (the module
 * boundary is gone there), so the public kernel entry points check what they do themselves
 * (issue 13): a credential is only ever lowered, whoever asks, and switching on the agent's
 * thread registry or thread-dump view changes JVM-wide behaviour, which needs
 * {@link Privilege#SYS_RESOURCE}; the view is installed once.
 */
@Timeout(30)
class InternalGuardTest {

    @Test
    void theKernelRefusesToRaiseACredentialWhoeverCallsIt() {
        try (Scene s = new Scene()) {
            Actor a = s.startActor("dropper");
            a.run(() -> Credential.current().without(Privilege.CONTRACT_OBSERVER).assume());
            ContractPermissionException e = assertThrows(ContractPermissionException.class,
                    () -> a.run(() -> Credentials.assume(Credential.system())));
            assertEquals(ContractError.EPERM, e.error(), e.getMessage());
            assertTrue(e.getMessage().contains("CONTRACT_OBSERVER"), "names what it lacks: " + e.getMessage());
            assertFalse(a.call(() -> Credential.current().has(Privilege.CONTRACT_OBSERVER)),
                    "the refused raise changed nothing");
        }
    }

    @Test
    void switchingOnTheThreadRegistryNeedsSysResource() {
        try (Scene s = new Scene()) {
            Actor a = s.startActor("registry");
            a.run(() -> Credential.current().without(Privilege.SYS_RESOURCE).assume());
            ContractPermissionException e = assertThrows(ContractPermissionException.class,
                    () -> a.run(() -> ContractTable.TABLE.enableThreadRegistry()));
            assertTrue(e.getMessage().contains("SYS_RESOURCE"), e.getMessage());
        }
    }

    @Test
    void installingTheThreadDumpViewNeedsSysResource() {
        try (Scene s = new Scene()) {
            Actor a = s.startActor("dump-view");
            a.run(() -> Credential.current().without(Privilege.SYS_RESOURCE).assume());
            ContractPermissionException e = assertThrows(ContractPermissionException.class,
                    () -> a.run(() -> ThreadDumpView.install(c -> new Object(), lost -> { })));
            assertTrue(e.getMessage().contains("SYS_RESOURCE"), e.getMessage());
        }
    }
}
