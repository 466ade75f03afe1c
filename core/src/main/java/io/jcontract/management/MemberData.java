package io.jcontract.management;

import javax.management.ConstructorParameters;

/** A member in {@link ContractInfo#getMembers()}; an open type (CompositeData). */
public final class MemberData {
    private final long id;
    private final String name;
    private final boolean task;
    private final boolean virtual;
    private final long parent;
    private final boolean killed;

    @ConstructorParameters({"id", "name", "task", "virtual", "parent", "killed"})
    public MemberData(long id, String name, boolean task, boolean virtual, long parent, boolean killed) {
        this.id = id;
        this.name = name;
        this.task = task;
        this.virtual = virtual;
        this.parent = parent;
        this.killed = killed;
    }

    /** Member id (thread id, or a pooled task's id). */
    public long getId() { return id; }

    /** Thread name (for a task, the worker running it). */
    public String getName() { return name; }

    /** Whether it is a pooled task. */
    public boolean isTask() { return task; }

    /** Whether it runs on a virtual thread. */
    public boolean isVirtual() { return virtual; }

    /** Id of the member or thread that started it. */
    public long getParent() { return parent; }

    /** Whether it has been killed. */
    public boolean isKilled() { return killed; }
}
