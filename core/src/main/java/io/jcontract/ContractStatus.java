package io.jcontract;

import java.util.List;
import java.util.Set;

/**
 * A snapshot of a contract (illumos {@code ct_status}). The components are
 * grouped by the {@link StatusDetail} that fills them. A component beyond the
 * snapshot's detail is not there at all: its accessor throws
 * {@link IllegalStateException} naming the detail to ask for, so an empty
 * list always means "none" and never "not asked for". {@link #includes}
 * says what a snapshot holds.
 *
 * <pre>{@code
 * ContractStatus s = contract.status(StatusDetail.ALL);
 * for (MemberInfo m : s.members()) ...          // every current member
 * contract.status(StatusDetail.COMMON).members(); // IllegalStateException: ask for ALL
 * }</pre>
 *
 * @param detail the level of detail of this snapshot
 * @param id contract id
 * @param type always {@code "process"}
 * @param state the state when the snapshot was taken
 * @param ownerId member id of the holder, or 0 if none (orphan, dead, inherited, or the root contract)
 * @param regentId the holding regent's id if {@linkplain ContractState#INHERITED inherited}, else 0
 * @param unackedCritical critical events not yet acknowledged
 * @param cookie the cookie term
 * @param informative the informative set
 * @param critical the critical set
 * @param params parameters ({@link StatusDetail#FIXED})
 * @param fatal the fatal set ({@link StatusDetail#FIXED})
 * @param serviceContractId id of the contract whose service identity this one carries ({@link StatusDetail#FIXED})
 * @param members current members ({@link StatusDetail#ALL})
 * @param inherited ids of contracts this regent holds ({@link StatusDetail#ALL})
 * @param creatorId member id of the creator ({@link StatusDetail#ALL})
 * @param creatorName thread name of the creator ({@link StatusDetail#ALL})
 * @param creatorAux creator aux term ({@link StatusDetail#ALL})
 * @param serviceIdentity service identity (FMRI) ({@link StatusDetail#ALL})
 * @param pendingTasks tasks handed to executors and not started yet ({@link StatusDetail#ALL})
 * @param eventsDropped informative events dropped from the contract's queue ({@link StatusDetail#ALL})
 * @param lastKill the report of the last completed kill wait, or {@code null} ({@link StatusDetail#ALL})
 * @param owned what the contract owns because members created it: pools, timers, channels, sockets,
 *              HttpClients, lifecycle objects of an adapter, each as {@code "<kind> <class>@<hash>"}
 *              ({@link StatusDetail#ALL})
 */
public record ContractStatus(
        StatusDetail detail, int id, String type, ContractState state, long ownerId, int regentId,
        int unackedCritical, long cookie, Set<EventType> informative, Set<EventType> critical,
        Set<Param> params, Set<EventType> fatal, Integer serviceContractId,
        List<MemberInfo> members, List<Integer> inherited, Long creatorId, String creatorName,
        String creatorAux, String serviceIdentity, Integer pendingTasks, Long eventsDropped,
        KillReport lastKill, List<String> owned) {

    /**
     * @throws InvalidArgumentException if {@code detail} is null
     */
    public ContractStatus {
        if (detail == null) throw new InvalidArgumentException("status detail is null: COMMON, FIXED or ALL");
        boolean fixed = detail != StatusDetail.COMMON, all = detail == StatusDetail.ALL;
        params = fixed ? (params == null ? Set.of() : Set.copyOf(params)) : null;
        fatal = fixed ? (fatal == null ? Set.of() : Set.copyOf(fatal)) : null;
        if (!fixed) serviceContractId = null;
        members = all ? (members == null ? List.of() : List.copyOf(members)) : null;
        inherited = all ? (inherited == null ? List.of() : List.copyOf(inherited)) : null;
        owned = all ? (owned == null ? List.of() : List.copyOf(owned)) : null;
        if (!all) {
            creatorId = null;
            creatorName = null;
            creatorAux = null;
            serviceIdentity = null;
            pendingTasks = null;
            eventsDropped = null;
            lastKill = null;
        }
    }

    /** Whether this snapshot holds the components of {@code level} (COMMON &le; FIXED &le; ALL). */
    public boolean includes(StatusDetail level) {
        return detail.compareTo(level) >= 0;
    }

    private void require(StatusDetail level, String component) {
        if (!includes(level))
            throw new IllegalStateException("a " + detail + " status has no " + component + ": ask for status("
                    + level + ")");
    }

    /** The parameters ({@link StatusDetail#FIXED}). @throws IllegalStateException below FIXED */
    public Set<Param> params() {
        require(StatusDetail.FIXED, "params");
        return params;
    }

    /** The fatal set ({@link StatusDetail#FIXED}). @throws IllegalStateException below FIXED */
    public Set<EventType> fatal() {
        require(StatusDetail.FIXED, "fatal set");
        return fatal;
    }

    /**
     * The id of the contract whose service identity this one carries ({@link StatusDetail#FIXED}).
     * @throws IllegalStateException below FIXED
     */
    public Integer serviceContractId() {
        require(StatusDetail.FIXED, "serviceContractId");
        return serviceContractId;
    }

    /** The current members ({@link StatusDetail#ALL}); empty if it has none. @throws IllegalStateException below ALL */
    public List<MemberInfo> members() {
        require(StatusDetail.ALL, "members");
        return members;
    }

    /** Ids of the contracts this regent holds ({@link StatusDetail#ALL}). @throws IllegalStateException below ALL */
    public List<Integer> inherited() {
        require(StatusDetail.ALL, "inherited contracts");
        return inherited;
    }

    /** The creator's member id ({@link StatusDetail#ALL}). @throws IllegalStateException below ALL */
    public Long creatorId() {
        require(StatusDetail.ALL, "creatorId");
        return creatorId;
    }

    /** The creator's thread name ({@link StatusDetail#ALL}). @throws IllegalStateException below ALL */
    public String creatorName() {
        require(StatusDetail.ALL, "creatorName");
        return creatorName;
    }

    /** The creator aux term, or null if none ({@link StatusDetail#ALL}). @throws IllegalStateException below ALL */
    public String creatorAux() {
        require(StatusDetail.ALL, "creatorAux");
        return creatorAux;
    }

    /** The service identity (FMRI), or null if none ({@link StatusDetail#ALL}). @throws IllegalStateException below ALL */
    public String serviceIdentity() {
        require(StatusDetail.ALL, "serviceIdentity");
        return serviceIdentity;
    }

    /** Tasks handed to executors and not started yet ({@link StatusDetail#ALL}). @throws IllegalStateException below ALL */
    public Integer pendingTasks() {
        require(StatusDetail.ALL, "pendingTasks");
        return pendingTasks;
    }

    /** Informative events dropped from the contract's queue ({@link StatusDetail#ALL}). @throws IllegalStateException below ALL */
    public Long eventsDropped() {
        require(StatusDetail.ALL, "eventsDropped");
        return eventsDropped;
    }

    /**
     * The report of the last completed kill wait, or null if none ({@link StatusDetail#ALL}).
     * @throws IllegalStateException below ALL
     */
    public KillReport lastKill() {
        require(StatusDetail.ALL, "lastKill");
        return lastKill;
    }

    /** What the contract owns ({@link StatusDetail#ALL}); empty if nothing. @throws IllegalStateException below ALL */
    public List<String> owned() {
        require(StatusDetail.ALL, "owned");
        return owned;
    }
}
