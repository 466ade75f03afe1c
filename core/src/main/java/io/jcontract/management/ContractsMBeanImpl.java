package io.jcontract.management;

import io.jcontract.ContractState;
import io.jcontract.ContractStatus;
import io.jcontract.Contracts;
import io.jcontract.InvalidArgumentException;
import io.jcontract.NoSuchContractException;
import io.jcontract.StatusDetail;
import io.jcontract.internal.Monitoring;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.StandardMBean;

/** The implementation of {@link ContractsMXBean}: a thin layer over {@link Monitoring}. */
final class ContractsMBeanImpl implements ContractsMXBean {

    /**
     * The MXBean as registered: JMX would show the interface's static
     * methods ({@code register}, {@code objectName}) as operations, so its
     * MBeanInfo leaves them out.
     */
    static StandardMBean standardMBean() {
        return new StandardMBean(new ContractsMBeanImpl(), ContractsMXBean.class, true) {
            private static final Set<String> STATIC = Arrays.stream(ContractsMXBean.class.getDeclaredMethods())
                    .filter(m -> Modifier.isStatic(m.getModifiers())).map(Method::getName)
                    .collect(Collectors.toUnmodifiableSet());

            @Override
            protected void cacheMBeanInfo(MBeanInfo info) {
                if (info != null) {
                    MBeanOperationInfo[] ops = Arrays.stream(info.getOperations())
                            .filter(o -> !STATIC.contains(o.getName())).toArray(MBeanOperationInfo[]::new);
                    info = new MBeanInfo(info.getClassName(), "jcontract process contracts", info.getAttributes(),
                            info.getConstructors(), ops, info.getNotifications(), info.getDescriptor());
                }
                super.cacheMBeanInfo(info);
            }
        };
    }

    @Override
    public int[] getContractIds() {
        return Contracts.ids().stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public int getContractCount() {
        return Contracts.ids().size();
    }

    @Override
    public Map<String, Integer> getContractsByState() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Map.Entry<ContractState, Integer> e : Monitoring.countByState().entrySet())
            if (e.getKey() != ContractState.DEAD) out.put(e.getKey().name(), e.getValue());
        return out;
    }

    @Override
    public long getMembers() {
        return Monitoring.memberCounts()[0];
    }

    @Override
    public long getPendingTasks() {
        return Monitoring.memberCounts()[1];
    }

    @Override
    public ContractRow[] getContracts() {
        List<ContractRow> rows = new ArrayList<>();
        for (int id : Contracts.ids()) {
            try {
                ContractStatus s = Monitoring.status(id, StatusDetail.COMMON);
                int[] counts = Monitoring.counts(id);
                rows.add(new ContractRow(id, s.type(), s.state().name(), s.ownerId(), s.regentId(),
                        s.unackedCritical(), counts[0], counts[1], s.cookie()));
            } catch (NoSuchContractException died) {
                // died between the listing and the look: not in the table any more
            }
        }
        return rows.toArray(ContractRow[]::new);
    }

    @Override
    public ContractInfo status(int id, String detail) {
        return ContractInfo.of(Monitoring.status(id, detail(detail)));
    }

    @Override
    public int getWatches() {
        return Watches.count();
    }

    @Override
    public ContractInfo[] table(String detail, boolean includeDead) {
        return Monitoring.table(detail(detail), includeDead).stream().map(ContractInfo::of)
                .toArray(ContractInfo[]::new);
    }

    @Override
    public ContractInfo statusAny(int id, String detail) {
        return ContractInfo.of(Monitoring.statusAny(id, detail(detail)));
    }

    @Override
    public long openWatch(int[] ids, boolean reliable, boolean fromHead) {
        return Watches.open(ids, reliable, fromHead);
    }

    @Override
    public WatchBatch pollWatch(long watchId, int max, long timeoutMillis) throws InterruptedException {
        return Watches.poll(watchId, max, timeoutMillis);
    }

    @Override
    public void closeWatch(long watchId) {
        Watches.close(watchId);
    }

    @Override
    public void kill(int id) {
        Monitoring.kill(id);
    }

    @Override
    public KillData killAndAwait(int id, long timeoutMillis) throws InterruptedException {
        if (timeoutMillis < 0) throw new InvalidArgumentException("negative timeout " + timeoutMillis);
        return KillData.of(Monitoring.killAndAwait(id, Duration.ofMillis(timeoutMillis)));
    }

    @Override
    public void abandon(int id) {
        Monitoring.abandon(id);
    }

    private static StatusDetail detail(String detail) {
        if (detail == null) return StatusDetail.COMMON;
        try {
            return StatusDetail.valueOf(detail.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException("detail " + detail + " is not one of "
                    + Arrays.toString(StatusDetail.values()));
        }
    }
}
