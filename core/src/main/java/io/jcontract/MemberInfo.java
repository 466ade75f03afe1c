package io.jcontract;

/**
 * One member of a contract, as status reports it.
 *
 * @param id member id (thread id, or a pooled task's id)
 * @param name the thread's name (for a task, the worker running it)
 * @param task whether the member is a pooled task
 * @param virtual whether it runs on a virtual thread
 * @param parent id of the member or thread that started it
 * @param killed whether it has been killed
 */
public record MemberInfo(long id, String name, boolean task, boolean virtual, long parent, boolean killed) {
}
