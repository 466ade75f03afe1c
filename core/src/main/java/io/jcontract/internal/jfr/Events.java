package io.jcontract.internal.jfr;

import io.jcontract.ContractEvent;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The JFR event types of jcontract, category "jcontract", named
 * {@code io.jcontract.*}. Instant events: each is committed where the
 * model publishes the corresponding contract event, on that thread.
 */
final class Events {
    private Events() {
    }

    @Name("io.jcontract.Fork") @Label("Contract Fork") @Category("jcontract")
    @Description("A member joined a contract: a thread started, or a pooled task began to run")
    @StackTrace(false)
    static final class Fork extends Event {
        @Label("Contract Id") int contractId;
        @Label("Member Id") long member;
        @Label("Parent Id") @Description("The member or thread that started it") long parent;
    }

    @Name("io.jcontract.Exit") @Label("Contract Exit") @Category("jcontract")
    @Description("A member left its contract")
    @StackTrace(false)
    static final class Exit extends Event {
        @Label("Contract Id") int contractId;
        @Label("Member Id") long member;
        @Label("Status") @Description("The exit status's code (io.jcontract.ExitStatus): "
                + ContractEvent.Exit.STATUS_OK + " OK, " + ContractEvent.Exit.STATUS_FAILED + " FAILED, "
                + ContractEvent.Exit.STATUS_KILLED + " KILLED") int status;
        @Label("Exit Status") @Description("The exit status by name: OK, FAILED or KILLED") String exitStatus;
        @Label("Cause") @Description("Class of the throwable it ended with, if any") String cause;
    }

    @Name("io.jcontract.Empty") @Label("Contract Empty") @Category("jcontract")
    @Description("A contract has no members left")
    @StackTrace(false)
    static final class Empty extends Event {
        @Label("Contract Id") int contractId;
        @Label("Last Member Id") long member;
    }

    @Name("io.jcontract.Kill") @Label("Contract Kill") @Category("jcontract")
    @Description("A kill ended: the contract emptied, or a wait for it ended with stragglers")
    @StackTrace(false)
    static final class Kill extends Event {
        @Label("Contract Id") int contractId;
        @Label("Kill Duration") @Description("From the kill until the contract emptied, or until the wait ended")
        @Timespan(Timespan.NANOSECONDS) long killDuration;
        @Label("Stragglers") @Description("Members alive when the wait ended (0 once empty)") int stragglers;
        @Label("Empty") boolean empty;
    }

    @Name("io.jcontract.Core") @Label("Contract Core") @Category("jcontract")
    @Description("A member died of an uncaught throwable")
    static final class Core extends Event {
        @Label("Contract Id") int contractId;
        @Label("Member Id") long member;
        @Label("Throwable") String throwable;
        @Label("Message") String message;
    }

    @Name("io.jcontract.HwErr") @Label("Contract Hardware Error") @Category("jcontract")
    @Description("A member died of a VirtualMachineError")
    static final class HwErr extends Event {
        @Label("Contract Id") int contractId;
        @Label("Member Id") long member;
        @Label("Error") String error;
        @Label("Message") String message;
    }

    @Name("io.jcontract.Signal") @Label("Contract Signal") @Category("jcontract")
    @Description("A member died after an interrupt from outside its contract")
    static final class Signal extends Event {
        @Label("Contract Id") int contractId;
        @Label("Member Id") long member;
        @Label("Sender Thread Id") long sender;
        @Label("Sender Contract Id") int senderContract;
        @Label("Throwable") String throwable;
    }
}
