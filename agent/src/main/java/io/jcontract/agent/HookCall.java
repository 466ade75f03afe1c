package io.jcontract.agent;

import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * The emitter of every hook site {@link Sites} plans: a few operand steps
 * ({@link Op}: load the receiver, an argument, a constant, a field; dup,
 * swap), then one static call of a hook with its descriptor, on
 * {@link Sites#hooksOwner} as it is when the code is emitted. A site is thus
 * data ("this, arg0, then {@code threadDying(Thread, Throwable)}"), not code:
 * building the plan at start-up loads this class and {@link Op} from the jar
 * instead of spinning one lambda class per emitter through
 * {@code LambdaMetafactory}, which the JVM's class-data archives (AppCDS, the
 * JDK 25 AOT cache) do not keep for an agent.
 *
 * <p>The steps follow {@link Site}'s stack rule like any emitter: an entry
 * call consumes what it pushed, a return or throw emitter first duplicates
 * the value it must leave on top.
 */
final class HookCall implements Site.Emit {
    /** One step before the call; each pushes one value or rearranges the top two. */
    enum Op {
        /** The receiver. */
        THIS,
        /** Argument 0 (receiver not counted). */
        ARG0,
        /** Argument 2. */
        ARG2,
        /** The last argument. */
        LAST_ARG,
        /** A copy of the top value (the return value, or the throwable being thrown). */
        DUP,
        /** The top two values exchanged. */
        SWAP,
        /** {@code null}. */
        NULL,
        /** {@code true}. */
        TRUE,
        /** {@code false}. */
        FALSE,
        /** {@code this.dep}: a {@code CompletableFuture} task's or completion's dependent future. */
        DEP,
        /** {@code this.queue}: a {@code java.util.TaskQueue}'s array of timer tasks. */
        TASK_QUEUE_ARRAY,
        /** {@code this.size}: a {@code java.util.TaskQueue}'s number of tasks. */
        TASK_QUEUE_SIZE;

        void emit(MethodVisitor mv, Site.Shape m) {
            switch (this) {
                case THIS -> m.loadThis(mv);
                case ARG0 -> m.loadArg(mv, 0);
                case ARG2 -> m.loadArg(mv, 2);
                case LAST_ARG -> m.loadArg(mv, m.lastArg());
                case DUP -> mv.visitInsn(Opcodes.DUP);
                case SWAP -> mv.visitInsn(Opcodes.SWAP);
                case NULL -> mv.visitInsn(Opcodes.ACONST_NULL);
                case TRUE -> mv.visitInsn(Opcodes.ICONST_1);
                case FALSE -> mv.visitInsn(Opcodes.ICONST_0);
                case DEP -> {
                    m.loadThis(mv);
                    mv.visitFieldInsn(Opcodes.GETFIELD, m.owner(), "dep", "Ljava/util/concurrent/CompletableFuture;");
                }
                case TASK_QUEUE_ARRAY -> {
                    m.loadThis(mv);
                    mv.visitFieldInsn(Opcodes.GETFIELD, "java/util/TaskQueue", "queue", "[Ljava/util/TimerTask;");
                }
                case TASK_QUEUE_SIZE -> {
                    m.loadThis(mv);
                    mv.visitFieldInsn(Opcodes.GETFIELD, "java/util/TaskQueue", "size", "I");
                }
            }
        }
    }

    private final String hook, desc;
    private final Op[] ops;

    private HookCall(String hook, String desc, Op[] ops) {
        this.hook = hook;
        this.desc = desc;
        this.ops = ops;
    }

    /** {@code ops} in order, then {@code Hooks.hook} with descriptor {@code desc}. */
    static HookCall call(String hook, String desc, Op... ops) {
        return new HookCall(hook, desc, ops);
    }

    @Override
    public void emit(MethodVisitor mv, Site.Shape m) {
        for (Op op : ops) op.emit(mv, m);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, Sites.hooksOwner, hook, desc, false);
    }
}
