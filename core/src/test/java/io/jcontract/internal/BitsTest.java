package io.jcontract.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jcontract.ContractTemplate;
import io.jcontract.EventType;
import io.jcontract.InvalidArgumentException;
import io.jcontract.Param;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The illumos numbers live in the kernel, and only there. */
class BitsTest {

    @Test
    void theBitsAreIllumosValues() {
        Map<EventType, Integer> events = Map.of(EventType.EMPTY, 0x01, EventType.FORK, 0x02, EventType.EXIT, 0x04,
                EventType.CORE, 0x08, EventType.SIGNAL, 0x10, EventType.HWERR, 0x20);       // CT_PR_EV_*
        events.forEach((t, bit) -> assertEquals(bit, Bits.of(t), t.name()));
        Map<Param, Integer> params = Map.of(Param.INHERIT, 0x01, Param.NOORPHAN, 0x02, Param.PGRPONLY, 0x04,
                Param.REGENT, 0x08, Param.KEEP_EXEC, 0x10);                                    // CT_PR_*
        params.forEach((p, bit) -> assertEquals(bit, Bits.of(p), p.name()));
        assertEquals(Bits.EVENT_BITS, Bits.events(EnumSet.allOf(EventType.class)));
        assertEquals(Bits.FATAL_BITS, Bits.events(EventType.CORE, EventType.SIGNAL, EventType.HWERR));
        assertEquals(Bits.PARAM_BITS, Bits.params(EnumSet.allOf(Param.class)));
        assertEquals(EnumSet.of(EventType.CORE, EventType.EMPTY), Bits.eventSet(0x09));
        assertEquals(EnumSet.of(Param.NOORPHAN), Bits.paramSet(0x02));
        assertThrows(InvalidArgumentException.class, () -> Bits.eventSet(0x40));
        assertThrows(InvalidArgumentException.class, () -> Bits.paramSet(0x20));
    }

    @Test
    void thePublicApiHasNoBitMaskMethods() {
        for (Class<?> c : new Class<?>[] {EventType.class, Param.class, ContractTemplate.class}) {
            for (Method m : c.getMethods())
                assertFalse(m.getName().equals("bit") || m.getName().equals("bits") || m.getName().equals("fromBits")
                        || (m.getName().equals("set") && m.getParameterCount() == 2),
                        c.getSimpleName() + "." + m.getName() + " is a bit-mask method in the public API");
            assertFalse(Arrays.stream(c.getFields()).anyMatch(f -> Modifier.isStatic(f.getModifiers())
                    && f.getType() == int.class), c.getSimpleName() + " has a public bit constant");
            assertFalse(Arrays.stream(c.getClasses()).anyMatch(k -> k.getSimpleName().equals("Term")),
                    c.getSimpleName() + ".Term is public");
        }
    }
}
