package io.kmswatch.events.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8CheckTest {

    @Test
    void shouldFindTheFirstBadByteAfterLongAsciiRuns() {
        String ascii = "{\"eventName\":\"Decrypt\",\"awsRegion\":\"us-east-1\"}";
        byte[] ok = (ascii + "é€😀" + ascii).getBytes(StandardCharsets.UTF_8);
        assertThat(RecordParser.invalidUtf8At(ok)).isEqualTo(-1);

        byte[] overlong = (ascii + "xx").getBytes(StandardCharsets.UTF_8);
        overlong[ascii.length()] = (byte) 0xC0;
        overlong[ascii.length() + 1] = (byte) 0xAF;
        assertThat(RecordParser.invalidUtf8At(overlong)).isEqualTo(ascii.length());

        byte[] surrogate = {'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', (byte) 0xED, (byte) 0xA0, (byte) 0x80};
        assertThat(RecordParser.invalidUtf8At(surrogate)).isEqualTo(9);
        assertThat(RecordParser.invalidUtf8At(new byte[0])).isEqualTo(-1);
    }

    /** Agrees with the JDK's strict UTF-8 decoder on whether the bytes are UTF-8 at all. */
    @Property(tries = 3000)
    void shouldAcceptExactlyWhatAStrictDecoderAccepts(@ForAll("mostlyAscii") byte[] bytes) {
        boolean strictOk;
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            strictOk = true;
        } catch (CharacterCodingException e) {
            strictOk = false;
        }
        int at = RecordParser.invalidUtf8At(bytes);

        assertThat(at == -1).isEqualTo(strictOk);
        if (at >= 0) {
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes, 0, at));
            } catch (CharacterCodingException e) {
                throw new AssertionError("the bytes before " + at + " are not UTF-8 either", e);
            }
        }
    }

    @Provide
    Arbitrary<byte[]> mostlyAscii() {
        Arbitrary<Byte> ascii = Arbitraries.bytes().between((byte) 0x20, (byte) 0x7E);
        Arbitrary<Byte> any = Arbitraries.bytes();
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(40, ascii), net.jqwik.api.Tuple.of(1, any))
                .list().ofMaxSize(200).map(l -> { // long ASCII runs reach the 32-byte steps
                    byte[] b = new byte[l.size()];
                    for (int i = 0; i < b.length; i++) {
                        b[i] = l.get(i);
                    }
                    return b;
                });
    }
}
