package io.statehouse.persistence;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

/** The installation's recorded facts; joins the caller's transaction. */
@ApplicationScoped
@Transactional(TxType.MANDATORY)
public class InstallationRecords {

    @PersistenceContext(unitName = "statehouse")
    EntityManager entityManager;

    public Optional<InstallationRecord> find(String key) {
        return Optional.ofNullable(entityManager.find(InstallationRecord.class, key));
    }

    public void record(InstallationRecord record) {
        entityManager.persist(record);
    }
}
