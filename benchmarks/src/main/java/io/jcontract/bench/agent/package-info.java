/**
 * The agent variants. {@link io.jcontract.bench.Main} runs every benchmark of this package in
 * forks started with {@code -javaagent:jcontract-agent.jar}, and every other benchmark without it,
 * in the same invocation. The code here is plain JDK code, as an application's would be; the
 * baselines are the {@code plain} benchmarks of the same name in {@code io.jcontract.bench}, which
 * run the same code without the agent.
 */
package io.jcontract.bench.agent;
