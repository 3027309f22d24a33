package io.omnipeer.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * Blocking streams over a Unix domain {@link SocketChannel} that let one thread read while another writes
 * (unlike {@code Channels.newInputStream}, which may serialize both on the channel's blocking lock).
 */
public final class UnixSockets {
    private UnixSockets() {
    }

    /** Connects to the socket file. @throws IOException (e.g. ConnectException/NoSuchFileException) when nobody listens */
    public static SocketChannel connect(Path socketFile) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socketFile));
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** Unbuffered input stream reading straight from the channel; -1 at end of stream. */
    public static InputStream in(SocketChannel channel) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                return channel.read(ByteBuffer.wrap(b, off, len));
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    /** Output stream writing each array fully to the channel. */
    public static OutputStream out(SocketChannel channel) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }
}
