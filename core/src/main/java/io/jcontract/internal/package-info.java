/**
 * The kernel: contracts, members, event queues and the table.
 *
 * <h2>Locks and their order</h2>
 * This is the one statement of the lock order; every class refers to it.
 * <ol>
 * <li><b>Whatever the caller holds</b> when it reaches the kernel: an
 *     application's locks, or a JDK lock held around a hooked JDK method
 *     (the agent's hooks call the kernel from inside {@code Thread.start},
 *     {@code Thread.interrupt}, pools' hand-offs and task ends).</li>
 * <li><b>A contract's lock</b> ({@code ContractImpl.lock}), at most one at a
 *     time: a contract never takes another contract's lock while holding
 *     its own (work for other contracts is collected and done after
 *     {@code unlock()}). The classes that do one job of a contract take
 *     that same lock, never one of their own: {@code ContractEvents}
 *     (publishing, acknowledgement), {@code Succession} (holder, regent,
 *     adopt, transfer; a hand-over releases one contract's lock before it
 *     takes the other's), {@code KillLadder} (the kill's marking,
 *     registered resources, the wait for the emptying) and
 *     {@code ContractStatusBuilder} (status snapshots).</li>
 * <li><b>An event queue's lock</b> ({@code EventQueue.lock}), innermost:
 *     its listener list and the critical events it keeps for later
 *     listeners; taken under a contract lock to publish a critical event,
 *     trim, or mark the queue dead; nothing is called under it. Publishing
 *     an informative event takes no lock.</li>
 * </ol>
 * A listener's own read lock ({@code EventQueue.Listener.readLock}) is a
 * leaf apart from all of these: only that listener's readers take it, under
 * no other kernel lock, and take nothing under it.
 * </ol>
 * Fork, a task's start and cancel, and exit take <b>no</b> lock on a
 * contract with the default terms (no FORK or EXIT event): they move the
 * contract's control word and the member's state by CAS
 * ({@code Membership}, {@code Member.casState}). Two of their cases take
 * the contract lock (2. above), holding nothing else of the kernel: the
 * move of the live count from 1 to 0 (with the EMPTY, the wake-up and an
 * orphan's death), and a fork that overlapped a kill's walk (to decide
 * whether it came before the kill). Terms that send FORK or EXIT take the
 * event path: those steps run under the contract lock.
 *
 * <p>A member's monitor guards only the state of the root contract's members,
 * which take no contract lock; it is a leaf, taken under nothing above and
 * never held while calling out.
 *
 * <p>Because a hook may take a contract lock, the kernel never calls a
 * hooked JDK method while holding a contract or queue lock: no
 * {@code Thread.interrupt()}, {@code Thread.start()}, {@code Future.cancel},
 * executor hand-off, resource {@code close()}, listener or user code. Kills
 * collect their victims under the lock and interrupt them after releasing
 * it; a kill's interrupt and the end of a pooled task meet through a CAS on
 * the member ({@code Member.handshake}), not a lock.
 */
package io.jcontract.internal;
