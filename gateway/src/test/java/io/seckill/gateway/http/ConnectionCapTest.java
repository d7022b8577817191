package io.seckill.gateway.http;

import io.seckill.gateway.support.IsolatedGateway;
import io.seckill.testkit.Poll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The public listener holds at most {@code SECKILL_MAX_CONNECTIONS} connections: past it a new
 * connection is closed before anything is read, the open ones are still served, the refusals are
 * counted, and once connections close new ones are accepted again.
 */
class ConnectionCapTest {

  private static final int MAX = 20;

  @Test
  @DisplayName("Past SECKILL_MAX_CONNECTIONS a new connection is closed at once; open ones are served; room comes back")
  void connectionsPastTheBoundAreClosedAndTheOpenOnesServed() throws Exception {
    try (IsolatedGateway gateway = IsolatedGateway.start(Map.of("SECKILL_MAX_CONNECTIONS", Integer.toString(MAX)))) {
      ConnectionCap cap = gateway.gateway().connections();
      int port = Integer.parseInt(gateway.baseUrl().substring(gateway.baseUrl().lastIndexOf(':') + 1));
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 0; i < MAX; i++) {
          held.add(connect(port));
        }
        Poll.await(Duration.ofSeconds(10), "the gateway counts " + MAX + " open connections", () -> cap.open() == MAX);

        for (int i = 0; i < 5; i++) {
          try (Socket extra = connect(port)) {
            assertTrue(closedByPeer(extra), "connection " + (MAX + i + 1) + " was kept open past the bound");
          }
        }
        assertEquals(MAX, cap.open(), "refused connections are not counted as open");
        for (Socket socket : held) {
          assertTrue(answersLive(socket), "an open connection is still served");
        }
        String metrics = gateway.gateway().registry().scrape();
        assertTrue(metrics.contains("seckill_gateway_connections_refused_total 5.0"), metrics);
        assertTrue(metrics.contains("seckill_gateway_open_connections " + MAX + ".0"), metrics);
      } finally {
        for (Socket socket : held) {
          socket.close();
        }
      }
      Poll.await(Duration.ofSeconds(10), "closed connections leave the count", () -> cap.open() == 0);
      try (Socket again = connect(port)) {
        assertTrue(answersLive(again), "a new connection is served once there is room");
      }
    }
  }

  private static Socket connect(int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(10_000);
    return socket;
  }

  /** Whether the gateway closed this connection without a byte (EOF or a reset on read). */
  private static boolean closedByPeer(Socket socket) throws IOException {
    try {
      return socket.getInputStream().read() == -1;
    } catch (SocketException reset) {
      return true;
    }
  }

  /** One keep-alive request on the connection; true when the answer is a 200. */
  private static boolean answersLive(Socket socket) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = socket.getInputStream();
    byte[] head = new byte[12];
    int read = 0;
    while (read < head.length) {
      int n = in.read(head, read, head.length - read);
      if (n < 0) {
        return false;
      }
      read += n;
    }
    String status = new String(head, StandardCharsets.US_ASCII);
    // drain the rest of this answer (small) so the next request on the connection starts clean
    in.skip(in.available());
    return status.equals("HTTP/1.1 200");
  }
}
