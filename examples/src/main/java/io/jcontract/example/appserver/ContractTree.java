package io.jcontract.example.appserver;

import io.jcontract.ContractState;
import io.jcontract.ContractStatus;
import io.jcontract.Contracts;
import io.jcontract.MemberInfo;
import io.jcontract.NoSuchContractException;
import io.jcontract.StatusDetail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The live contracts as a tree, like {@code ptree} over {@code ctstat}: a
 * contract's parent is the contract of the member that holds it; an
 * inherited one hangs under its regent; the root contract (1, which keeps
 * no member list) is the parent of contracts held by threads jcontract did
 * not start; orphans hang under the root, marked.
 *
 * <p>A snapshot is read contract by contract while the table changes, so a
 * contract that dies meanwhile is left out; it is consistent enough for a
 * display, and exact once the demo is quiet (its leftover count).
 */
final class ContractTree {
    static final int ROOT = 1;

    private ContractTree() {
    }

    /** One live contract. */
    record Node(ContractStatus status, int parent) { }

    /** Every live contract's status at {@link StatusDetail#ALL}, with its parent; ordered by id. */
    static List<Node> snapshot() {
        List<ContractStatus> all = new ArrayList<>();
        for (int id : Contracts.ids()) {
            try {
                all.add(Contracts.lookup(id).status(StatusDetail.ALL));
            } catch (NoSuchContractException gone) {
                // died since ids() was read
            }
        }
        Map<Long, Integer> contractOfMember = new HashMap<>();
        for (ContractStatus s : all)
            for (MemberInfo m : s.members()) contractOfMember.put(m.id(), s.id());
        List<Node> nodes = new ArrayList<>();
        for (ContractStatus s : all) {
            int parent;
            if (s.id() == ROOT) parent = 0;
            else if (s.state() == ContractState.INHERITED) parent = s.regentId();
            else if (s.state() == ContractState.OWNED) parent = contractOfMember.getOrDefault(s.ownerId(), ROOT);
            else parent = ROOT;
            nodes.add(new Node(s, parent));
        }
        return nodes;
    }

    /** The tree as JSON: the root contract's node, children nested. */
    static String json() {
        List<Node> nodes = snapshot();
        Map<Integer, List<Node>> children = new HashMap<>();
        for (Node n : nodes) children.computeIfAbsent(n.parent(), k -> new ArrayList<>()).add(n);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("contracts", nodes.size());
        out.put("members", nodes.stream().mapToInt(n -> n.status().members().size()).sum());
        List<Object> roots = new ArrayList<>();
        Set<Integer> ids = new java.util.HashSet<>();
        for (Node n : nodes) ids.add(n.status().id());
        for (Node n : nodes)   // the root, and anything whose parent died while the snapshot was read
            if (n.parent() == 0 || !ids.contains(n.parent())) roots.add(toMap(n, children));
        out.put("tree", roots);
        return Json.write(out);
    }

    private static Map<String, Object> toMap(Node n, Map<Integer, List<Node>> children) {
        ContractStatus s = n.status();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("state", s.state().name());
        if (s.serviceIdentity() != null) m.put("service", s.serviceIdentity());
        if (s.creatorAux() != null && !s.creatorAux().isEmpty()) m.put("aux", s.creatorAux());
        m.put("holder", s.ownerId());
        m.put("critical", s.critical().stream().map(Enum::name).sorted().toList());
        m.put("params", s.params().stream().map(Enum::name).sorted().toList());
        List<Object> members = new ArrayList<>();
        for (MemberInfo mi : s.members()) {
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("id", mi.id());
            mm.put("name", mi.name());
            mm.put("kind", mi.task() ? "task" : mi.virtual() ? "virtual" : "platform");
            if (mi.killed()) mm.put("killed", true);
            members.add(mm);
        }
        m.put("members", members);
        if (s.pendingTasks() != null && s.pendingTasks() > 0) m.put("pendingTasks", s.pendingTasks());
        List<Object> kids = new ArrayList<>();
        for (Node c : children.getOrDefault(s.id(), List.of())) kids.add(toMap(c, children));
        m.put("children", kids);
        return m;
    }
}
