package org.kmsconnector.sender;

import org.apache.camel.main.Main;
import org.kmsconnector.cli.ServiceModule;

/** The tx-sender's beans (being assembled). */
public final class TxSenderModule implements ServiceModule {
    @Override
    public void bind(Main main, Context ctx) {
        throw new UnsupportedOperationException("tx-sender is not assembled yet");
    }
}
