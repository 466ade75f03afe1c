/**
 * Process contracts for the JVM: a fault boundary around threads and pooled
 * tasks, after illumos {@code contract(5)} and {@code process(5)}.
 *
 * <h2>Start here</h2>
 * A <em>contract</em> holds <em>members</em>: threads, and tasks handed to
 * pools. Its <em>holder</em> (the thread that created it) sees every
 * failure of a member as an {@linkplain ContractEvent event}, can
 * {@linkplain Contract#kill() kill} all of them at once, and gives the
 * contract up when done. Every thread is in exactly one contract; threads
 * jcontract did not start are in the root contract, id 1.
 * <pre>{@code
 * ContractTemplate terms = ContractTemplate.process()             // the terms of contracts to come
 *         .critical(EventType.CORE, EventType.EMPTY);
 * try (Contract c = terms.start(Thread.ofVirtual(), body);        // a new contract, body its first member
 *      EventListener events = c.events()) {
 *     ContractEvent e = events.takeCritical(Duration.ofSeconds(5)); // CORE: a member died of a throwable
 *     c.ack(e);
 * }   // close: kill every member, wait for EMPTY within a grace, abandon
 * }</pre>
 *
 * <h2>The types, by job</h2>
 * <ul>
 * <li>Creating: {@link ContractTemplate} (the terms; {@code start},
 *     {@code execute}, or {@code activate} for code that starts threads
 *     itself), {@link ContractThreads} and {@link ContractExecutors} (forks
 *     without the agent), {@link Param}, {@link EventType}.</li>
 * <li>Holding: {@link Contract} (kill, ack, register, abandon, close) and its
 *     {@link Contract.KillHandle}, {@link KillReport}; {@link Contracts} for
 *     {@code latest()}, {@code adopt}, {@code lookup} and the bundle.</li>
 * <li>Watching: {@link ContractView}, {@link ContractStatus} at a
 *     {@link StatusDetail}, {@link MemberInfo}, {@link ContractState},
 *     {@link EventListener} and the {@link ContractEvent} records,
 *     {@link TableStats}.</li>
 * <li>Policy: {@link Credential}, {@link Privilege}, {@link Infrastructure},
 *     {@link LifecycleAdapter} (how a library's objects are stopped by a kill).</li>
 * <li>Errors: every failure is a {@link ContractException} subclass named by
 *     its illumos {@link ContractError} (for example
 *     {@link NoSuchContractException} for {@code ESRCH}).</li>
 * </ul>
 *
 * <p>With the java agent ({@code -javaagent:jcontract-agent.jar}) unmodified
 * code's {@code Thread.start} and pool hand-offs are forks too. The package
 * {@code io.jcontract.internal} is the kernel, not API.
 */
package io.jcontract;
