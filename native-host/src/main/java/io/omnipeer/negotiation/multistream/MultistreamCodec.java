package io.omnipeer.negotiation.multistream;

import io.netty.buffer.ByteBuf;
import io.omnipeer.core.DecodingException;
import io.omnipeer.core.Varint;
import java.nio.charset.StandardCharsets;

/**
 * Framing of multistream-select messages: an unsigned varint length, then that many bytes of UTF-8 text
 * whose last byte is {@code '\n'} (the length counts the newline).
 * Spec: libp2p/specs connections/README.md, "multistream-select"; example: {@code "na"} is {@code 03 6e 61 0a}.
 *
 * <p>Stateless and thread-safe.
 */
public final class MultistreamCodec {
    /**
     * Largest message we accept or send, newline included. Protocol ids are short paths; go-multistream and
     * js-libp2p bound a message at 1024 bytes as well.
     */
    public static final int MAX_MESSAGE_LENGTH = 1024;

    private MultistreamCodec() {
    }

    /**
     * Appends {@code message} (without its newline) framed to {@code out}.
     * @throws IllegalArgumentException if the framed text would exceed {@link #MAX_MESSAGE_LENGTH} or the
     *         message contains a newline
     */
    public static void write(String message, ByteBuf out) {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        if (text.length + 1 > MAX_MESSAGE_LENGTH) {
            throw new IllegalArgumentException("multistream message longer than " + MAX_MESSAGE_LENGTH + " bytes");
        }
        if (message.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("multistream message contains a newline: " + message);
        }
        Varint.write(text.length + 1, out);
        out.writeBytes(text);
        out.writeByte('\n');
    }

    /**
     * Reads one message from {@code in}.
     * @return the text without its trailing newline, or {@code null} with the reader index unchanged when
     *         {@code in} does not yet hold a whole message
     * @throws DecodingException if the length is zero or above {@link #MAX_MESSAGE_LENGTH}, the varint is
     *         malformed, or the message does not end in a newline
     */
    public static String read(ByteBuf in) {
        int start = in.readerIndex();
        long length = Varint.read(in);
        if (length < 0) {
            return null;
        }
        if (length == 0 || length > MAX_MESSAGE_LENGTH) {
            in.readerIndex(start);
            throw new DecodingException("multistream message length " + length + " outside [1, " + MAX_MESSAGE_LENGTH + "]");
        }
        if (in.readableBytes() < length) {
            in.readerIndex(start);
            return null;
        }
        int textLength = (int) length - 1;
        if (in.getByte(in.readerIndex() + textLength) != '\n') {
            throw new DecodingException("multistream message does not end in a newline");
        }
        String text = in.toString(in.readerIndex(), textLength, StandardCharsets.UTF_8);
        in.skipBytes((int) length);
        return text;
    }
}
