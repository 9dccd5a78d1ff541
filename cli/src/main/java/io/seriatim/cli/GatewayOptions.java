package io.seriatim.cli;

import io.seriatim.client.ProducerSettings;
import picocli.CommandLine.Option;

/** Where a producer submits: the gateway, the namespace, the token. */
final class GatewayOptions {
    @Option(names = "--gateway", defaultValue = "${env:SERIATIM_GATEWAY:-127.0.0.1:7420}", paramLabel = "HOST:PORT",
            description = "gateway address (env SERIATIM_GATEWAY; default ${DEFAULT-VALUE})")
    String gateway;

    @Option(names = {"-n", "--namespace"}, defaultValue = "${env:SERIATIM_NAMESPACE:-default}", description = "namespace (default ${DEFAULT-VALUE})")
    String namespace;

    @Option(names = "--auth-token", defaultValue = "${env:SERIATIM_AUTH_TOKEN}", description = "the gateway's shared secret")
    String authToken;

    ProducerSettings.Builder settings() {
        int colon = gateway.lastIndexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("--gateway must be HOST:PORT, got '" + gateway + "'");
        }
        int port;
        try {
            port = Integer.parseInt(gateway.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--gateway port must be a number, got '" + gateway + "'");
        }
        return ProducerSettings.builder(gateway.substring(0, colon), port, namespace).authToken(authToken)
                .clientName("seriatim-cli");
    }
}
