package org.cloudpatch.adapters.notify;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * A loopback relay in front of a real SMTP server (GreenMail) that adds what GreenMail lacks —
 * STARTTLS, 8BITMIME — and injects the network's faults into chosen connections: a busy greeting, a
 * reset in the middle of DATA, a reply lost or replaced after the server accepted the message, a
 * server that never answers, a refused sender or recipient. Everything else is passed through byte
 * for byte, so the mail that arrives is what the real server accepted.
 */
final class SmtpRelay implements AutoCloseable {
  /** What happens to one connection. */
  enum Fault {
    NONE,
    GREETING_421,
    SILENT,
    MAIL_451,
    RCPT_550,
    RESET_MID_DATA,
    LOSE_REPLY_AFTER_DATA,
    REPLY_451_AFTER_DATA
  }

  private final ServerSocket server;
  private final int upstreamPort;
  private final @Nullable SSLContext tls;
  private final boolean eightBitMime;
  private final Deque<Fault> faults = new ConcurrentLinkedDeque<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final List<String> clientLines = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  SmtpRelay(int upstreamPort, @Nullable SSLContext tls, boolean eightBitMime) throws IOException {
    this(InetAddress.getLoopbackAddress(), upstreamPort, tls, eightBitMime);
  }

  SmtpRelay(InetAddress bind, int upstreamPort, @Nullable SSLContext tls, boolean eightBitMime)
      throws IOException {
    this.server = new ServerSocket(0, 50, bind);
    this.upstreamPort = upstreamPort;
    this.tls = tls;
    this.eightBitMime = eightBitMime;
    this.acceptor = new Thread(this::accept, "smtp-relay");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** The faults of the next connections, in order; later connections pass through. */
  void inject(Fault... next) {
    faults.addAll(List.of(next));
  }

  /** The command lines clients sent (not the message data). */
  List<String> clientCommands() {
    return List.copyOf(clientLines);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        open.add(client);
        Fault fault = faults.isEmpty() ? Fault.NONE : faults.poll();
        Thread t =
            new Thread(() -> serve(client, fault == null ? Fault.NONE : fault), "smtp-relay-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket client, Fault fault) {
    try (client) {
      if (fault == Fault.GREETING_421) {
        client
            .getOutputStream()
            .write(ascii("421 4.3.2 Service not available, closing channel\r\n"));
        return;
      }
      if (fault == Fault.SILENT) {
        client.getInputStream().read(); // hold the line open until the client gives up
        return;
      }
      try (Socket up = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
        open.add(up);
        session(client, up, fault);
      }
    } catch (IOException e) {
      // The client or the server hung up; the test asserts what arrived.
    }
  }

  private void session(Socket client, Socket up, Fault fault) throws IOException {
    InputStream upIn = new BufferedInputStream(up.getInputStream());
    OutputStream upOut = up.getOutputStream();
    InputStream cIn = new BufferedInputStream(client.getInputStream());
    OutputStream cOut = client.getOutputStream();
    Socket current = client;
    boolean secure = false;
    cOut.write(reply(upIn));
    while (true) {
      byte[] raw = line(cIn);
      if (raw.length == 0) {
        return;
      }
      String line = new String(raw, StandardCharsets.UTF_8).strip();
      String verb = line.toUpperCase(java.util.Locale.ROOT);
      clientLines.add(line);
      if (verb.equals("STARTTLS") && tls != null && !secure) {
        cOut.write(ascii("220 2.0.0 Ready to start TLS\r\n"));
        cOut.flush();
        SSLSocket s =
            (SSLSocket) tls.getSocketFactory().createSocket(current, null, current.getPort(), true);
        s.setUseClientMode(false);
        s.startHandshake();
        current = s;
        cIn = new BufferedInputStream(s.getInputStream());
        cOut = s.getOutputStream();
        secure = true;
      } else if (verb.startsWith("EHLO")) {
        upOut.write(raw);
        byte[] r = reply(upIn);
        cOut.write(withExtensions(r, tls != null && !secure));
      } else if (verb.startsWith("MAIL FROM") && fault == Fault.MAIL_451) {
        cOut.write(ascii("451 4.7.1 <sender>: Sender address rejected: greylisted, try again\r\n"));
      } else if (verb.startsWith("MAIL FROM")) {
        // GreenMail does not know BODY=8BITMIME; it stores the bytes as they come either way.
        upOut.write(ascii(line.replaceAll("(?i) BODY=8BITMIME", "") + "\r\n"));
        cOut.write(reply(upIn));
      } else if (verb.startsWith("RCPT TO") && fault == Fault.RCPT_550) {
        cOut.write(
            ascii("550 5.1.1 " + line.substring(8) + ": Recipient address rejected: unknown\r\n"));
      } else if (verb.equals("DATA")) {
        upOut.write(raw);
        byte[] r = reply(upIn);
        cOut.write(r);
        if (r[0] != '3') {
          continue;
        }
        int lines = 0;
        while (true) {
          byte[] data = line(cIn);
          if (data.length == 0) {
            return;
          }
          if (fault == Fault.RESET_MID_DATA && ++lines == 3) {
            current.setSoLinger(true, 0); // RST, not FIN
            current.close();
            return;
          }
          upOut.write(data);
          if (new String(data, StandardCharsets.US_ASCII).equals(".\r\n")) {
            break;
          }
        }
        byte[] accepted = reply(upIn); // the real server has the message now
        if (fault == Fault.LOSE_REPLY_AFTER_DATA) {
          current.close();
          return;
        }
        cOut.write(
            fault == Fault.REPLY_451_AFTER_DATA
                ? ascii("451 4.3.0 Error: queue file write error\r\n")
                : accepted);
      } else {
        upOut.write(raw);
        cOut.write(reply(upIn));
        if (verb.equals("QUIT")) {
          return;
        }
      }
      cOut.flush();
    }
  }

  private byte[] withExtensions(byte[] reply, boolean offerStartTls) {
    String text = new String(reply, StandardCharsets.US_ASCII);
    List<String> lines = new ArrayList<>(List.of(text.split("\r\n")));
    String last = lines.remove(lines.size() - 1);
    if (!last.startsWith("250")) {
      return reply;
    }
    List<String> out = new ArrayList<>();
    for (String l : lines) {
      out.add(l);
    }
    out.add("250-" + last.substring(4));
    if (offerStartTls) {
      out.add("250-STARTTLS");
    }
    if (eightBitMime) {
      out.add("250-8BITMIME");
    }
    out.add("250 PIPELINING");
    return ascii(String.join("\r\n", out) + "\r\n");
  }

  /** One whole reply from the server (all lines of a multi-line reply). */
  private static byte[] reply(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    while (true) {
      byte[] l = line(in);
      if (l.length == 0) {
        throw new IOException("server closed");
      }
      all.writeBytes(l);
      if (l.length < 4 || l[3] == ' ' || l[3] == '\r') {
        return all.toByteArray();
      }
    }
  }

  /** One line with its line end, or empty at the end of the stream. */
  private static byte[] line(InputStream in) throws IOException {
    ByteArrayOutputStream l = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      l.write(b);
      if (b == '\n') {
        break;
      }
    }
    return l.toByteArray();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) {
      s.close();
    }
  }
}
