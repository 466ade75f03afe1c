package io.jcontract.management;

import io.jcontract.ContractStatus;
import io.jcontract.MemberInfo;
import io.jcontract.StatusDetail;

import java.util.Collection;

import javax.management.ConstructorParameters;

/**
 * A contract's status ({@link ContractStatus}) as an open type
 * (CompositeData), for {@link ContractsMXBean#status(int, String)}. Sets are
 * arrays of names; the items beyond the requested detail are {@code null}.
 */
public final class ContractInfo {
    private final String detail;
    private final int id;
    private final String type;
    private final String state;
    private final long holder;
    private final int regent;
    private final int unackedEvents;
    private final long cookie;
    private final String[] informative;
    private final String[] critical;
    private final String[] params;
    private final String[] fatal;
    private final Integer serviceContractId;
    private final MemberData[] members;
    private final int[] inherited;
    private final Long creatorId;
    private final String creatorName;
    private final String creatorAux;
    private final String serviceIdentity;
    private final Integer pendingTasks;
    private final Long eventsDropped;
    private final KillData lastKill;
    private final String[] owned;

    @ConstructorParameters({"detail", "id", "type", "state", "holder", "regent", "unackedEvents", "cookie",
            "informative", "critical", "params", "fatal", "serviceContractId", "members", "inherited", "creatorId",
            "creatorName", "creatorAux", "serviceIdentity", "pendingTasks", "eventsDropped", "lastKill", "owned"})
    public ContractInfo(String detail, int id, String type, String state, long holder, int regent,
                        int unackedEvents, long cookie, String[] informative, String[] critical, String[] params,
                        String[] fatal, Integer serviceContractId, MemberData[] members, int[] inherited,
                        Long creatorId, String creatorName, String creatorAux, String serviceIdentity,
                        Integer pendingTasks, Long eventsDropped, KillData lastKill, String[] owned) {
        this.detail = detail;
        this.id = id;
        this.type = type;
        this.state = state;
        this.holder = holder;
        this.regent = regent;
        this.unackedEvents = unackedEvents;
        this.cookie = cookie;
        this.informative = informative;
        this.critical = critical;
        this.params = params;
        this.fatal = fatal;
        this.serviceContractId = serviceContractId;
        this.members = members;
        this.inherited = inherited;
        this.creatorId = creatorId;
        this.creatorName = creatorName;
        this.creatorAux = creatorAux;
        this.serviceIdentity = serviceIdentity;
        this.pendingTasks = pendingTasks;
        this.eventsDropped = eventsDropped;
        this.lastKill = lastKill;
        this.owned = owned;
    }

    static ContractInfo of(ContractStatus s) {
        boolean all = s.detail() == StatusDetail.ALL;
        MemberData[] members = null;
        int[] inherited = null;
        if (all) {
            members = new MemberData[s.members().size()];
            for (int i = 0; i < members.length; i++) {
                MemberInfo m = s.members().get(i);
                members[i] = new MemberData(m.id(), m.name(), m.task(), m.virtual(), m.parent(), m.killed());
            }
            inherited = s.inherited().stream().mapToInt(Integer::intValue).toArray();
        }
        boolean fixed = s.includes(StatusDetail.FIXED);
        return new ContractInfo(s.detail().name(), s.id(), s.type(), s.state().name(), s.ownerId(), s.regentId(),
                s.unackedCritical(), s.cookie(), names(s.informative()), names(s.critical()),
                fixed ? names(s.params()) : null, fixed ? names(s.fatal()) : null,
                fixed ? s.serviceContractId() : null, members, inherited,
                all ? s.creatorId() : null, all ? s.creatorName() : null, all ? s.creatorAux() : null,
                all ? s.serviceIdentity() : null, all ? s.pendingTasks() : null, all ? s.eventsDropped() : null,
                all ? KillData.of(s.lastKill()) : null, all ? s.owned().toArray(String[]::new) : null);
    }

    private static String[] names(Collection<? extends Enum<?>> set) {
        return set == null ? null : set.stream().map(Enum::name).toArray(String[]::new);
    }

    /** COMMON, FIXED or ALL: which items are filled. */
    public String getDetail() { return detail; }

    public int getId() { return id; }

    public String getType() { return type; }

    public String getState() { return state; }

    /** Member id of the holder, 0 if none. */
    public long getHolder() { return holder; }

    /** Id of the regent holding it when INHERITED, else 0. */
    public int getRegent() { return regent; }

    /** Critical events not yet acknowledged. */
    public int getUnackedEvents() { return unackedEvents; }

    public long getCookie() { return cookie; }

    /** The informative set. */
    public String[] getInformative() { return informative; }

    /** The critical set. */
    public String[] getCritical() { return critical; }

    /** Parameters (FIXED and ALL). */
    public String[] getParams() { return params; }

    /** The fatal set (FIXED and ALL). */
    public String[] getFatal() { return fatal; }

    /** Id of the contract whose service identity it carries (FIXED and ALL). */
    public Integer getServiceContractId() { return serviceContractId; }

    /** Running members (ALL). */
    public MemberData[] getMembers() { return members; }

    /** Ids of the contracts this regent holds (ALL). */
    public int[] getInherited() { return inherited; }

    /** Member id of the creator (ALL). */
    public Long getCreatorId() { return creatorId; }

    /** Thread name of the creator (ALL). */
    public String getCreatorName() { return creatorName; }

    /** The creator aux term (ALL). */
    public String getCreatorAux() { return creatorAux; }

    /** The service identity (ALL). */
    public String getServiceIdentity() { return serviceIdentity; }

    /** Tasks not started yet (ALL). */
    public Integer getPendingTasks() { return pendingTasks; }

    /** Informative events dropped from its queue (ALL). */
    public Long getEventsDropped() { return eventsDropped; }

    /** The last completed kill wait, with stragglers (ALL), or null. */
    public KillData getLastKill() { return lastKill; }

    /**
     * What the contract owns because members created it (pools, timers, channels, sockets,
     * HttpClients, adapters' lifecycle objects), each as {@code "<kind> <class>@<hash>"} (ALL).
     */
    public String[] getOwned() { return owned; }
}
