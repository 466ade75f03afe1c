package io.jcontract;

/** Thrown when the listener's event queue was destroyed with its contract or owner and holds nothing more to read (illumos {@code EIDRM}). */
public final class QueueGoneException extends ContractException {
    private static final long serialVersionUID = 1L;

    /** @param message names the contract, event or term at fault */
    public QueueGoneException(String message) {
        super(ContractError.EIDRM, message);
    }
}
