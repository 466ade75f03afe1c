package io.jcontract;

/** Thrown when creating the contract would pass the limit on live contracts, so the fork fails (illumos {@code EAGAIN} from {@code fork} at {@code project.max-contracts}). */
public final class ContractLimitException extends ContractException {
    private static final long serialVersionUID = 1L;

    /** @param message names the contract, event or term at fault */
    public ContractLimitException(String message) {
        super(ContractError.EAGAIN, message);
    }
}
