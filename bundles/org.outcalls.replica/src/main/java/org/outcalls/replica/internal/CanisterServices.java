package org.outcalls.replica.internal;

import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.outcalls.api.canister.Canister;
import org.outcalls.replica.CanisterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link CanisterResolver} of this framework: every {@link Canister} service, by its
 * {@code outcalls.canister.id} property (or {@link Canister#id()} without one), held dynamically
 * and greedily so canister bundles can come and go. For two services with one id, the one with the
 * highest ranking (then the oldest) wins, as OSGi orders services. Only presence is local here:
 * which canisters exist is the registry's decision, and execution stops rather than skip a missing
 * one.
 */
@Component(service = CanisterResolver.class)
public final class CanisterServices implements CanisterResolver {
    private static final Logger LOG = LoggerFactory.getLogger(CanisterServices.class);

    private record Key(int ranking, long serviceId) {
    }

    private static final Comparator<Key> OSGI_ORDER =
            Comparator.comparingInt(Key::ranking).reversed().thenComparingLong(Key::serviceId);

    private final Map<String, TreeMap<Key, Canister>> byId = new TreeMap<>();

    @Reference(service = Canister.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addCanister(Canister canister, Map<String, Object> properties) {
        String id = idOf(canister, properties);
        synchronized (byId) {
            byId.computeIfAbsent(id, i -> new TreeMap<>(OSGI_ORDER)).put(key(properties), canister);
        }
        LOG.info("canister {} available", id);
    }

    void removeCanister(Canister canister, Map<String, Object> properties) {
        String id = idOf(canister, properties);
        synchronized (byId) {
            TreeMap<Key, Canister> services = byId.get(id);
            if (services != null) {
                services.remove(key(properties));
                if (services.isEmpty()) {
                    byId.remove(id);
                }
            }
        }
        LOG.info("canister {} withdrawn", id);
    }

    @Override
    public Optional<Canister> canister(String canisterId) {
        synchronized (byId) {
            TreeMap<Key, Canister> services = byId.get(canisterId);
            return services == null ? Optional.empty() : Optional.of(services.firstEntry().getValue());
        }
    }

    private static String idOf(Canister canister, Map<String, Object> properties) {
        Object id = properties.get(Canister.ID_PROPERTY);
        return id instanceof String s && !s.isEmpty() ? s : canister.id();
    }

    private static Key key(Map<String, Object> properties) {
        Object ranking = properties.get(Constants.SERVICE_RANKING);
        Object serviceId = properties.get(Constants.SERVICE_ID);
        return new Key(ranking instanceof Integer r ? r : 0, serviceId instanceof Long l ? l : 0L);
    }
}
