package org.kmsconnector.worker;
import org.apache.camel.main.Main;
import org.kmsconnector.cli.ServiceModule;
public final class KmsWorkerModule implements ServiceModule {
    @Override public void bind(Main main, Context ctx) { throw new UnsupportedOperationException(); }
}
