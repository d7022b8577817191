package io.seckill.load.faults;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The partition scenarios' proxy, against an echo server on loopback: latency, partition, heal. */
class LatencyProxyTest {

  private ServerSocket echo;
  private Thread echoThread;
  private LatencyProxy proxy;

  @BeforeEach
  void startEchoServerAndProxy() throws IOException {
    echo = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    echoThread = new Thread(this::echoOneClient, "echo");
    echoThread.setDaemon(true);
    echoThread.start();
    proxy = LatencyProxy.open(echo.getLocalPort());
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    echo.close();
  }

  @Test
  void addsTheLatencyToEachRoundTripAndRemovesItOnHeal() throws IOException {
    try (Socket client = connect()) {
      long direct = roundTripMillis(client);
      proxy.latency(Duration.ofMillis(200));
      long slow = roundTripMillis(client);
      assertTrue(slow >= 200, "a round trip with 200 ms added took " + slow + " ms");
      proxy.heal();
      long healed = roundTripMillis(client);
      assertTrue(healed < slow, "after heal a round trip took " + healed + " ms (with latency " + slow
          + " ms, before " + direct + " ms)");
    }
  }

  @Test
  void aPartitionHoldsEveryByteUntilItHeals() throws IOException {
    try (Socket client = connect()) {
      roundTripMillis(client);
      proxy.partition();
      client.getOutputStream().write('x');
      client.setSoTimeout(700);
      InputStream in = client.getInputStream();
      assertThrows(SocketTimeoutException.class, in::read, "a byte crossed the partition");
      proxy.heal();
      client.setSoTimeout(10_000);
      assertEquals('x', in.read(), "the byte sent during the partition arrives after the heal");
    }
  }

  private Socket connect() throws IOException {
    Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
    client.setTcpNoDelay(true);
    client.setSoTimeout(10_000);
    return client;
  }

  private static long roundTripMillis(Socket client) throws IOException {
    long start = System.nanoTime();
    client.getOutputStream().write('p');
    assertEquals('p', client.getInputStream().read());
    return (System.nanoTime() - start) / 1_000_000;
  }

  private void echoOneClient() {
    try (Socket accepted = echo.accept()) {
      accepted.setTcpNoDelay(true);
      InputStream in = accepted.getInputStream();
      OutputStream out = accepted.getOutputStream();
      for (int b = in.read(); b >= 0; b = in.read()) {
        out.write(b);
        out.flush();
      }
    } catch (IOException closed) {
      // the test is over
    }
  }
}
