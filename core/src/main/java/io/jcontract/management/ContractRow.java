package io.jcontract.management;

import javax.management.ConstructorParameters;

/**
 * One row of the contract table as {@link ContractsMXBean#getContracts()}
 * shows it (the columns of {@code ctstat}); an open type (CompositeData).
 */
public final class ContractRow {
    private final int id;
    private final String type;
    private final String state;
    private final long holder;
    private final int regent;
    private final int unackedEvents;
    private final int members;
    private final int pendingTasks;
    private final long cookie;

    @ConstructorParameters({"id", "type", "state", "holder", "regent", "unackedEvents", "members", "pendingTasks",
            "cookie"})
    public ContractRow(int id, String type, String state, long holder, int regent, int unackedEvents, int members,
                       int pendingTasks, long cookie) {
        this.id = id;
        this.type = type;
        this.state = state;
        this.holder = holder;
        this.regent = regent;
        this.unackedEvents = unackedEvents;
        this.members = members;
        this.pendingTasks = pendingTasks;
        this.cookie = cookie;
    }

    /** Contract id. */
    public int getId() { return id; }

    /** Always {@code process}. */
    public String getType() { return type; }

    /** OWNED, INHERITED or ORPHAN. */
    public String getState() { return state; }

    /** Member id of the holder, 0 if none. */
    public long getHolder() { return holder; }

    /** Id of the regent holding it when INHERITED, else 0. */
    public int getRegent() { return regent; }

    /** Critical events not yet acknowledged. */
    public int getUnackedEvents() { return unackedEvents; }

    /** Running members. */
    public int getMembers() { return members; }

    /** Tasks handed to executors that have not started. */
    public int getPendingTasks() { return pendingTasks; }

    /** The cookie term. */
    public long getCookie() { return cookie; }

    @Override
    public String toString() {
        return "contract " + id + " " + state + " holder " + holder + " members " + members;
    }
}
