package io.statehouse.it;

import java.io.File;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;

/** The EAR exactly as the build packaged it, for Arquillian to deploy. */
final class StatehouseDeployment {

    private StatehouseDeployment() {
    }

    static EnterpriseArchive ear() {
        File ear = new File(System.getProperty("statehouse.ear", "target/statehouse.ear"));
        if (!ear.isFile()) {
            throw new IllegalStateException(ear + " is missing: the integration tests need the packaged EAR (mvn verify)");
        }
        return ShrinkWrap.create(ZipImporter.class, "statehouse.ear").importFrom(ear).as(EnterpriseArchive.class);
    }
}
