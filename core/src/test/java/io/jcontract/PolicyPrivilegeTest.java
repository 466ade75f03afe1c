package io.jcontract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jcontract.internal.ContractTable;
import io.jcontract.management.PlatformRegistration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Changing JVM-wide policy needs {@link Privilege#SYS_RESOURCE} (issue 13):
 * the contract limit and the platform MXBean registration. A thread that
 * dropped the privilege gets {@link ContractPermissionException}
 * ({@code EPERM}) naming it, and nothing changes; a thread that holds it
 * (every thread jcontract did not start) may.
 */
@Timeout(30)
class PolicyPrivilegeTest {
    private int oldLimit;

    @BeforeEach
    void remember() {
        oldLimit = ContractTable.TABLE.limit();
    }

    @AfterEach
    void restore() {
        Contracts.setContractLimit(oldLimit);
    }

    /** An actor (root contract) that kept its identity but dropped SYS_RESOURCE. */
    private static Actor withoutSysResource(Scene s, String name) {
        Actor a = s.startActor(name);
        a.run(() -> Credential.current().without(Privilege.SYS_RESOURCE).assume());
        return a;
    }

    private static void assertNamesThePrivilege(ContractPermissionException e) {
        assertEquals(ContractError.EPERM, e.error(), e.getMessage());
        assertTrue(e.getMessage().contains("SYS_RESOURCE"), "names the missing privilege: " + e.getMessage());
    }

    @Test
    void settingTheContractLimitNeedsSysResource() {
        try (Scene s = new Scene()) {
            Actor a = withoutSysResource(s, "limit-setter");
            ContractPermissionException e = assertThrows(ContractPermissionException.class,
                    () -> a.run(() -> Contracts.setContractLimit(oldLimit + 7)));
            assertNamesThePrivilege(e);
            assertEquals(oldLimit, ContractTable.TABLE.limit(), "a refused limit changes nothing");
        }
    }

    @Test
    void thePrivilegeIsCheckedBeforeTheArgument() {
        try (Scene s = new Scene()) {
            Actor a = withoutSysResource(s, "bad-limit-setter");
            assertNamesThePrivilege(assertThrows(ContractPermissionException.class,
                    () -> a.run(() -> Contracts.setContractLimit(0))));
        }
    }

    @Test
    void aThreadWithThePrivilegeMaySetTheLimit() {
        try (Scene s = new Scene()) {
            Actor a = s.startActor("privileged-setter");
            a.run(() -> Credential.current().without(Privilege.CONTRACT_OBSERVER, Privilege.CONTRACT_EVENT).assume());
            a.run(() -> Contracts.setContractLimit(oldLimit + 3));
            assertEquals(oldLimit + 3, ContractTable.TABLE.limit());
        }
    }

    @Test
    void installingTheMxBeanRegistrationNeedsSysResource() {
        String before = System.getProperty(PlatformRegistration.BUILDER_PROPERTY);
        try (Scene s = new Scene()) {
            Actor a = withoutSysResource(s, "mxbean-installer");
            assertNamesThePrivilege(assertThrows(ContractPermissionException.class,
                    () -> a.run(() -> PlatformRegistration.install(false))));
            assertEquals(before, System.getProperty(PlatformRegistration.BUILDER_PROPERTY),
                    "a refused install sets no JVM-wide property");
        }
    }
}
