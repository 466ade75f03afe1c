package io.jcontract.agent;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

import java.util.Set;
import java.util.function.Function;

/**
 * Applies {@link Site}s to one class file with plain ASM (byte-buddy's
 * repackaged copy): no new members, fields or locals, so it is valid for
 * retransformation of classes already loaded.
 *
 * <h2>Theory of operation</h2>
 * The class is read with expanded frames and written without computing any:
 * the original stack map frames stay as they are, and the weaver adds at most
 * two of its own, both describing nothing but the method's entry state
 * (receiver and arguments): one after a skipping entry's branch, one at the
 * catch-all handler of an {@code onThrow} site. Entry state is a safe frame
 * at both points because the skip target is the original first instruction,
 * and a handler's frame only has to be a supertype of the state at every
 * instruction it covers: JDK methods never store into argument slots a type
 * other than the declared one, and every other local is left unspecified.
 * The handler is registered last in the exception table, after every
 * original handler, so it only ever sees what the method would have thrown
 * to its caller, and it rethrows it.
 */
final class HookWeaver {
    private HookWeaver() {
    }

    /**
     * Weaves {@code bytes}; {@code siteFor} maps a method to its site or null; null if nothing
     * matched. The names of the methods actually changed go into {@code hooked} (a substitution
     * site counts only if it found a call to replace).
     */
    static byte[] weave(byte[] bytes, Function<Site.Shape, Site> siteFor, Set<String> hooked) {
        ClassReader reader = new ClassReader(bytes);
        // given the reader, ASM copies the constant pool and every method left alone byte for byte
        ClassWriter writer = new ClassWriter(reader, 0);
        boolean[] changed = new boolean[1];
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            private String owner;

            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                              String[] interfaces) {
                owner = name;
                super.visit(version, access, name, signature, superName, interfaces);
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String signature,
                                             String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, desc, signature, exceptions);
                if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0 || name.equals("<clinit>")) return mv;
                Site.Shape shape = new Site.Shape(owner, access, name, desc);
                Site site = siteFor.apply(shape);
                if (site == null) return mv;
                // a constructor only at its returns, where the receiver is initialised and no frame changes
                if (name.equals("<init>") && (site.enter() != null || site.skips() || site.onThrow() != null
                        || site.substitution() != null)) return mv;
                changed[0] = true;
                return new SiteVisitor(mv, shape, site, hooked);
            }
        }, ClassReader.EXPAND_FRAMES);
        return changed[0] ? writer.toByteArray() : null;
    }

    private static final class SiteVisitor extends MethodVisitor {
        private final Site.Shape shape;
        private final Site site;
        private final Set<String> hooked;
        private Label tryStart;
        private int substituted;

        SiteVisitor(MethodVisitor mv, Site.Shape shape, Site site, Set<String> hooked) {
            super(Opcodes.ASM9, mv);
            this.shape = shape;
            this.site = site;
            this.hooked = hooked;
        }

        @Override
        public void visitEnd() {
            if (site.substitution() == null || substituted > 0) hooked.add(shape.name());
            super.visitEnd();
        }

        @Override
        public void visitCode() {
            super.visitCode();
            if (site.enter() != null) site.enter().emit(mv, shape);
            if (site.skips()) {
                Label body = new Label();
                mv.visitJumpInsn(Opcodes.IFEQ, body);
                if (site.afterSkip() != null) site.afterSkip().emit(mv, shape);
                mv.visitInsn(Opcodes.RETURN);
                mv.visitLabel(body);
                Object[] locals = shape.entryLocals();
                mv.visitFrame(Opcodes.F_NEW, locals.length, locals, 0, null);
                mv.visitInsn(Opcodes.NOP);   // keeps this frame apart from one the original may have at its start
            }
            if (site.onThrow() != null) {
                tryStart = new Label();
                mv.visitLabel(tryStart);
            }
        }

        @Override
        public void visitInsn(int opcode) {
            if (site.onReturn() != null && opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN)
                site.onReturn().emit(mv, shape);
            super.visitInsn(opcode);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean itf) {
            Site.Substitution s = site.substitution();
            if (s != null && s.matches(opcode, owner, name, desc)) {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, Sites.substitutionOwner, Sites.substitutionName(s.bridgeName()),
                        s.bridgeDesc(), false);
                substituted++;
                return;
            }
            super.visitMethodInsn(opcode, owner, name, desc, itf);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            if (tryStart != null) {
                Label tryEnd = new Label(), handler = new Label();
                mv.visitLabel(tryEnd);
                mv.visitLabel(handler);
                Object[] locals = shape.entryLocals();
                mv.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {"java/lang/Throwable"});
                site.onThrow().emit(mv, shape);
                mv.visitInsn(Opcodes.ATHROW);
                mv.visitTryCatchBlock(tryStart, tryEnd, handler, "java/lang/Throwable");
            }
            super.visitMaxs(maxStack + 4, maxLocals);
        }
    }
}
