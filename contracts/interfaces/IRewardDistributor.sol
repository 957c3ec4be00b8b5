// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IEpochClock} from "./IEpochClock.sol";
import {IGuarded} from "./IGuarded.sol";
import {IModelStaking} from "./IModelStaking.sol";

/// @title IRewardDistributor
/// @notice Fees in, rewards out. Inference fees paid to a model are split, in basis points,
/// into the protocol treasury, royalties to the model's ancestors, the model owner, the
/// model's stakers and the model's contributor pool. Contributors claim from the pool with
/// cumulative Merkle proofs against the latest final attribution report.
/// @dev Split of a payment `amount` to model M (all integer, floor division):
/// - `treasuryCut = amount * treasuryBps / 10_000`; `net = amount - treasuryCut`;
/// - if M has a parent: `royalty = net * M.royaltyBps / 10_000` goes up the lineage: each
///   ancestor keeps what it does not itself owe its own parent (same formula), the root
///   ancestor keeps the rest; kept royalties accrue to each ancestor and are split like its
///   own fees (without treasury cut and royalty) by `settleRoyalties`;
/// - `rest = net - royalty`; `ownerCut = rest * ownerBps / 10_000`;
///   `stakersCut = rest * stakersBps / 10_000` (0 if M has no stake);
/// - the contributor pool gets `rest - ownerCut - stakersCut`: it receives every rounding
///   remainder, so the parts always sum to `amount` and nothing is lost.
/// Contributor pool funding is checkpointed per epoch (OpenZeppelin Checkpoints), which
/// bounds what an attribution report for an epoch may distribute.
///
/// Roles:
/// - owner (the governance timelock, two-step): splits (within the bounds below), treasury,
///   guardian, staking cooldown;
/// - guardian: pauses/unpauses new payments (claims, withdrawals and staking exits are never
///   paused);
/// - the AttributionRegistry: publishes final cumulative roots;
/// - anyone: pays, claims for any account (tokens always go to the account), settles royalties,
///   sends the treasury its balance.
interface IRewardDistributor is IEpochClock, IGuarded, IModelStaking {
    /// @notice Governance-set split in basis points.
    struct Splits {
        uint16 treasuryBps;
        uint16 ownerBps;
        uint16 stakersBps;
    }

    /// @notice One item of a batch claim.
    struct ClaimItem {
        uint256 modelId;
        uint256 cumulativeAmount;
        bytes32[] proof;
    }

    /// @notice An ERC-2612 permit for `payInferenceWithPermit`.
    struct Permit {
        uint256 deadline;
        uint8 v;
        bytes32 r;
        bytes32 s;
    }

    /// @notice `payer` paid `amount` for inference on the model, split as given.
    event InferencePaid(
        uint256 indexed modelId,
        address indexed payer,
        uint256 indexed epoch,
        uint256 amount,
        uint256 treasuryCut,
        uint256 royalty,
        uint256 ownerCut,
        uint256 stakersCut,
        uint256 contributorsCut
    );
    /// @notice An ancestor model accrued `amount` of royalties from a descendant's fees.
    event RoyaltyAccrued(uint256 indexed modelId, uint256 indexed fromModelId, uint256 amount);
    /// @notice Accrued royalties of a model were split into its owner, stakers and pool.
    event RoyaltiesSettled(
        uint256 indexed modelId,
        uint256 amount,
        uint256 ownerCut,
        uint256 stakersCut,
        uint256 contributorsCut
    );
    /// @notice The model's contributor pool was funded; `totalFunded` is its new cumulative total.
    event ContributorPoolFunded(
        uint256 indexed modelId,
        uint256 indexed epoch,
        uint256 amount,
        uint256 totalFunded
    );
    /// @notice A final report published a new claim root for the model.
    event ClaimRootUpdated(
        uint256 indexed modelId,
        uint256 indexed epoch,
        bytes32 root,
        uint256 totalCumulative
    );
    /// @notice `account` was paid `amount` from the model's pool (cumulative now `cumulativeAmount`).
    event Claimed(uint256 indexed modelId, address indexed account, uint256 amount, uint256 cumulativeAmount);
    /// @notice A model owner's (or anyone's) accrued balance was withdrawn.
    event BalanceWithdrawn(address indexed account, uint256 amount);
    /// @notice The treasury's accrued balance was sent to it.
    event TreasuryWithdrawn(address indexed treasury, uint256 amount);
    /// @notice The owner changed the splits.
    event SplitsUpdated(Splits splits);
    /// @notice The owner changed the treasury.
    event TreasuryUpdated(address treasury);

    /// @notice An address argument was zero.
    error ZeroAddress();
    /// @notice The caller is not the AttributionRegistry.
    error NotAttributionRegistry(address caller);
    /// @notice The payment is zero or above `MAX_PAYMENT`.
    error InvalidPaymentAmount(uint256 amount, uint256 max);
    /// @notice No model has this id.
    error UnknownModel(uint256 modelId);
    /// @notice The model is inactive.
    error InactiveModel(uint256 modelId);
    /// @notice Splits outside the bounds (`treasuryBps` ≤ MAX_TREASURY_BPS,
    /// `ownerBps + stakersBps` ≤ MAX_OWNER_AND_STAKERS_BPS).
    error InvalidSplits(uint256 treasuryBps, uint256 ownerBps, uint256 stakersBps);
    /// @notice The model has no final report to claim against.
    error NoFinalReport(uint256 modelId);
    /// @notice The proof does not prove `(modelId, account, cumulativeAmount)` against the root.
    error InvalidProof(uint256 modelId, address account, uint256 cumulativeAmount);
    /// @notice Nothing new to claim: the cumulative amount is not above what was claimed.
    error NothingToClaim(uint256 modelId, address account, uint256 cumulativeAmount, uint256 claimed);
    /// @notice Paying this claim would exceed the report's total for the model.
    error ClaimExceedsReport(uint256 modelId, uint256 claimedTotal, uint256 reportTotal);
    /// @notice Item `index` of a batch claim is invalid (unknown model, no final report or bad proof).
    error InvalidBatchItem(uint256 index, uint256 modelId);
    /// @notice The account has no balance to withdraw.
    error NothingToWithdraw(address account);
    /// @notice The model has no accrued royalties to settle.
    error NothingToSettle(uint256 modelId);

    /// @notice Pays `amount` OPEN (pulled from the caller) for inference on an active model
    /// and splits it. Not while paused.
    function payInference(uint256 modelId, uint256 amount) external;

    /// @notice As `payInference`, first applying the caller's ERC-2612 permit for `amount`
    /// (ignored if it fails and the allowance already covers the amount).
    function payInferenceWithPermit(uint256 modelId, uint256 amount, Permit calldata permit) external;

    /// @notice Pays `account` its cumulative amount on the model minus what it already claimed,
    /// proven against the model's latest final report. Anyone may call; tokens go to `account`.
    /// @param proof StandardMerkleTree proof of the leaf `(modelId, account, cumulativeAmount)`
    /// (types `uint256, address, uint256`).
    /// @return paid The amount transferred.
    function claim(
        uint256 modelId,
        address account,
        uint256 cumulativeAmount,
        bytes32[] calldata proof
    ) external returns (uint256 paid);

    /// @notice Claims for `account` across several models with one transfer. Items with
    /// nothing new to claim are skipped; an invalid item reverts naming its index.
    /// @return paid The total transferred.
    function claimBatch(address account, ClaimItem[] calldata items) external returns (uint256 paid);

    /// @notice Splits a model's accrued royalties into its owner, stakers and contributor pool. Anyone may call.
    function settleRoyalties(uint256 modelId) external;

    /// @notice Withdraws the caller's accrued balance (model owner shares).
    /// @return amount What was paid.
    function withdraw() external returns (uint256 amount);

    /// @notice Sends the treasury its accrued balance. Anyone may call.
    /// @return amount What was paid.
    function withdrawTreasury() external returns (uint256 amount);

    /// @notice Publishes a final report's cumulative root. AttributionRegistry only.
    function setClaimRoot(uint256 modelId, uint256 epoch, bytes32 root, uint256 totalCumulative) external;

    /// @notice Sets the splits within the bounds. Owner only.
    function setSplits(Splits calldata splits) external;

    /// @notice Sets the treasury. Owner only.
    function setTreasury(address treasury) external;

    /// @notice Contributor pool funded to the model in epochs up to and including `epoch`.
    function contributorPoolFunded(uint256 modelId, uint256 epoch) external view returns (uint256);

    /// @notice Contributor pool funded to the model so far.
    function contributorPoolTotal(uint256 modelId) external view returns (uint256);

    /// @notice The model's current claim root and its total (from the latest final report).
    function claimRoot(uint256 modelId) external view returns (bytes32 root, uint256 totalCumulative);

    /// @notice Total paid to contributors of the model so far.
    function claimedTotal(uint256 modelId) external view returns (uint256);

    /// @notice What `account` already claimed from the model.
    function claimed(uint256 modelId, address account) external view returns (uint256);

    /// @notice What `account` would be paid now for a leaf of `cumulativeAmount` (0 if nothing new).
    function claimable(
        uint256 modelId,
        address account,
        uint256 cumulativeAmount
    ) external view returns (uint256);

    /// @notice An account's accrued, withdrawable balance (model owner shares).
    function balanceOf(address account) external view returns (uint256);

    /// @notice The treasury's accrued balance.
    function treasuryBalance() external view returns (uint256);

    /// @notice Royalties accrued to the model and not yet settled.
    function royaltiesAccrued(uint256 modelId) external view returns (uint256);

    /// @notice Current splits.
    function splits() external view returns (Splits memory);

    /// @notice The treasury.
    function treasury() external view returns (address);

    /// @notice The OPEN token.
    function token() external view returns (address);

    /// @notice The AttributionRegistry allowed to publish roots.
    function attributionRegistry() external view returns (address);

    /// @notice The ModelRegistry.
    function modelRegistry() external view returns (address);
}
