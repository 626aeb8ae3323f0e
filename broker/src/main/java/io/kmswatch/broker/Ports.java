package io.kmswatch.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks free TCP ports before a broker starts.
 *
 * <p>The ports cannot be left to the broker (port 0): the controller's port must be written into
 * the voter string before the controller binds, and {@code KafkaRaftServer} does not expose the
 * port its broker listener bound. Between closing the probe socket and the broker binding the port
 * another process may take it, so callers retry on {@link #isBindFailure(Throwable)}.
 */
final class Ports {
    private Ports() {
    }

    /**
     * Returns {@code count} distinct ports that were free on {@code host} a moment ago.
     *
     * @throws UncheckedIOException if the host cannot be resolved or no port can be bound
     */
    static int[] pickFree(String host, int count) {
        List<ServerSocket> sockets = new ArrayList<>(count);
        try {
            InetAddress address = InetAddress.getByName(host);
            // All probe sockets stay open until every port is chosen, so the ports are distinct.
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket();
                sockets.add(socket);
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(address, 0));
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot pick free ports on " + host, e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // A probe socket that fails to close still frees its port when collected.
                }
            }
        }
    }

    /** Whether a startup failure was a port taken between picking and binding. */
    static boolean isBindFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
            String message = t.getMessage();
            if (message != null && (message.contains("Address already in use")
                    || message.contains("failed to bind"))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
