package io.jcontract.agent;

import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * What the weaver does to one JDK method: code at entry (optionally a skip of
 * the whole body), code before each return, code on the way out of a thrown
 * throwable, and calls to replace. Sites are plain values; {@link Sites}
 * builds them and {@link HookWeaver} applies them.
 *
 * <p>Every emitter follows one stack rule so that the weaver needs no new
 * locals and no frame changes beyond two it writes itself: {@code enter}
 * starts and ends with the operand stack empty (a skipping enter leaves one
 * int, non-zero meaning "skip"); {@code onReturn} must leave the return value
 * (if any) where it found it; {@code onThrow} finds the throwable on top and
 * must leave it there.
 */
record Site(Emit enter, boolean skips, Emit afterSkip, Emit onReturn, Emit onThrow, Substitution substitution) {

    /** Emits bytecode for one point of a method. */
    @FunctionalInterface
    interface Emit {
        void emit(MethodVisitor mv, Shape m);
    }

    /** One call to replace by a static call with the receiver as first argument. */
    record Substitution(int opcode, String owner, String name, String desc, String bridgeName, String bridgeDesc) {
        boolean matches(int op, String o, String n, String d) {
            return op == opcode && (owner == null || owner.equals(o)) && name.equals(n) && desc.equals(d);
        }
    }

    static Site enter(Emit e) {
        return new Site(e, false, null, null, null, null);
    }

    static Site exitNormally(Emit e) {
        return new Site(null, false, null, e, null, null);
    }


    static Site substitute(Substitution s) {
        return new Site(null, false, null, null, null, s);
    }

    Site onReturn(Emit e) {
        return new Site(enter, skips, afterSkip, e, onThrow, substitution);
    }

    Site onThrow(Emit e) {
        return new Site(enter, skips, afterSkip, onReturn, e, substitution);
    }

    /** Like {@link #onReturn} and {@link #onThrow} with the same code: every way out. */
    Site onExit(Emit e) {
        return new Site(enter, skips, afterSkip, e, e, substitution);
    }

    /** The entry code leaves an int; non-zero runs {@code after} and returns at once (void methods only). */
    static Site skipping(Emit enter, Emit after) {
        return new Site(enter, true, after, null, null, null);
    }

    /** The method being woven: enough to load its receiver and arguments. */
    record Shape(String owner, int access, String name, String desc) {
        boolean isStatic() {
            return (access & Opcodes.ACC_STATIC) != 0;
        }

        Type[] args() {
            return Type.getArgumentTypes(desc);
        }

        /** Local slot of argument {@code i} (0-based, receiver not counted). */
        int slot(int i) {
            int s = isStatic() ? 0 : 1;
            Type[] a = args();
            for (int k = 0; k < i; k++) s += a[k].getSize();
            return s;
        }

        void loadThis(MethodVisitor mv) {
            mv.visitVarInsn(Opcodes.ALOAD, 0);
        }

        void loadArg(MethodVisitor mv, int i) {
            mv.visitVarInsn(args()[i].getOpcode(Opcodes.ILOAD), slot(i));
        }

        int lastArg() {
            return args().length - 1;
        }

        /** The verifier's view of the locals at entry: receiver and arguments. */
        Object[] entryLocals() {
            Type[] a = args();
            Object[] out = new Object[a.length + (isStatic() ? 0 : 1)];
            int k = 0;
            if (!isStatic()) out[k++] = owner;
            for (Type t : a) {
                out[k++] = switch (t.getSort()) {
                    case Type.BOOLEAN, Type.BYTE, Type.CHAR, Type.SHORT, Type.INT -> Opcodes.INTEGER;
                    case Type.LONG -> Opcodes.LONG;
                    case Type.FLOAT -> Opcodes.FLOAT;
                    case Type.DOUBLE -> Opcodes.DOUBLE;
                    case Type.ARRAY -> t.getDescriptor();
                    default -> t.getInternalName();
                };
            }
            return out;
        }
    }
}
