package io.jcontract;

import java.util.List;
import java.util.Set;

/**
 * A snapshot of a contract (illumos {@code ct_status}). The components are
 * grouped by the {@link StatusDetail} that fills them; those beyond the
 * requested detail are {@code null} (or empty lists).
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

    public ContractStatus {
        members = members == null ? List.of() : List.copyOf(members);
        inherited = inherited == null ? List.of() : List.copyOf(inherited);
        owned = owned == null ? List.of() : List.copyOf(owned);
    }

    /** A snapshot without the list of owned things. */
    public ContractStatus(
            StatusDetail detail, int id, String type, ContractState state, long ownerId, int regentId,
            int unackedCritical, long cookie, Set<EventType> informative, Set<EventType> critical,
            Set<Param> params, Set<EventType> fatal, Integer serviceContractId,
            List<MemberInfo> members, List<Integer> inherited, Long creatorId, String creatorName,
            String creatorAux, String serviceIdentity, Integer pendingTasks, Long eventsDropped,
            KillReport lastKill) {
        this(detail, id, type, state, ownerId, regentId, unackedCritical, cookie, informative, critical, params,
                fatal, serviceContractId, members, inherited, creatorId, creatorName, creatorAux, serviceIdentity,
                pendingTasks, eventsDropped, lastKill, List.of());
    }
}
