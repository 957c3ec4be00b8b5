// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IAttesters
/// @notice The attesters of attribution reports: a governance-managed set, each member bonded
/// in OPEN. An attester counts toward the threshold only while it is *active*: in the set and
/// bonded at least `minBond`. A report proven wrong on chain slashes every attester that
/// supported it (`slashBps` of its bond and of what it is unbonding): `challengerShareBps` of
/// the slashed OPEN to the challenger, the rest to the protocol treasury.
/// @dev Unbonding: `requestUnbond` moves OPEN out of the active bond at once (the attester
/// may stop being active) and `withdrawBond` pays it `unbondingDelay` seconds later; until
/// then it can still be slashed. `unbondingDelay` is always longer than the challenge window,
/// so an attester cannot leave before every report it supported while active has passed its
/// window. Each new request restarts the delay for everything being unbonded.
///
/// Roles: owner (the governance timelock): attester set, threshold, challenge window, bond
/// settings; anyone: bonds, unbonds and withdraws its own OPEN.
interface IAttesters {
    /// @notice Governance-set bond rules.
    /// @param minBond OPEN (wei) an attester must have bonded to be active (> 0).
    /// @param unbondingDelay Seconds between `requestUnbond` and `withdrawBond` (longer than
    /// the challenge window, at most `MAX_UNBONDING_DELAY`).
    /// @param slashBps Share of a supporter's bond (and unbonding OPEN) slashed when a report it
    /// supported is proven wrong (1..10,000).
    /// @param challengerShareBps Share of the slashed OPEN paid to the challenger (0..10,000);
    /// the rest goes to the protocol treasury.
    struct BondSettings {
        uint96 minBond;
        uint40 unbondingDelay;
        uint16 slashBps;
        uint16 challengerShareBps;
    }

    /// @notice An account's standing.
    /// @param registered Whether governance made it an attester.
    /// @param active Whether it counts toward the threshold (registered and bond ≥ minBond).
    /// @param bond OPEN bonded.
    /// @param unbonding OPEN requested back and not yet withdrawn (still slashable).
    /// @param unlockAt When `unbonding` can be withdrawn.
    struct AttesterInfo {
        bool registered;
        bool active;
        uint256 bond;
        uint256 unbonding;
        uint256 unlockAt;
    }

    /// @notice The owner added (`registered`) or removed an attester; collections in progress restart.
    event AttesterSet(address indexed attester, bool registered, uint256 attesterSetVersion);
    /// @notice The owner changed the threshold.
    event ThresholdUpdated(uint256 threshold);
    /// @notice The owner changed the challenge window.
    event ChallengeWindowUpdated(uint256 challengeWindow);
    /// @notice The owner changed the bond rules.
    event BondSettingsUpdated(BondSettings settings);
    /// @notice `attester` bonded `amount` more; its bond is now `bond`.
    event Bonded(address indexed attester, uint256 amount, uint256 bond);
    /// @notice `attester` asked for `amount` back; `unbonding` in total is withdrawable at `unlockAt`.
    event UnbondRequested(address indexed attester, uint256 amount, uint256 unbonding, uint256 unlockAt);
    /// @notice `attester` withdrew `amount` it had unbonded.
    event BondWithdrawn(address indexed attester, uint256 amount);
    /// @notice `amount` was slashed from `attester` for supporting a report proven wrong.
    event AttesterSlashed(address indexed attester, uint256 amount, uint256 bondLeft, uint256 unbondingLeft);

    /// @notice An address argument was zero.
    error ZeroAddress();
    /// @notice The address is already (or is not) an attester.
    error AttesterUnchanged(address attester, bool registered);
    /// @notice Too many attesters (at most 256).
    error TooManyAttesters();
    /// @notice The threshold must be between 1 and the number of attesters.
    error InvalidThreshold(uint256 threshold, uint256 attesterCount);
    /// @notice The challenge window exceeds `MAX_CHALLENGE_WINDOW` or is not shorter than the
    /// unbonding delay (`max` is the longest allowed).
    error ChallengeWindowTooLong(uint256 window, uint256 max);
    /// @notice Bond rules out of bounds (see `BondSettings`).
    error InvalidBondSettings(BondSettings settings);
    /// @notice A bond or unbond amount is zero, or the bond and unbonding OPEN together would
    /// not fit 96 bits.
    error InvalidBondAmount(uint256 amount);
    /// @notice The attester has less bonded than it asked back.
    error InsufficientBond(uint256 bond, uint256 amount);
    /// @notice Nothing is unbonding for `attester`.
    error NothingUnbonding(address attester);
    /// @notice The unbonding OPEN is locked until `unlockAt`.
    error BondLocked(uint256 unlockAt);

    /// @notice Bonds `amount` OPEN (pulled from the caller) for the caller. Anyone may bond,
    /// also before governance adds it as an attester.
    function bond(uint256 amount) external;

    /// @notice Starts unbonding `amount` of the caller's bond; restarts the delay for all of
    /// its unbonding OPEN.
    /// @return unlockAt When `withdrawBond` can pay it.
    function requestUnbond(uint256 amount) external returns (uint256 unlockAt);

    /// @notice Pays the caller its unbonding OPEN once unlocked.
    /// @return amount What was paid.
    function withdrawBond() external returns (uint256 amount);

    /// @notice Adds or removes an attester. Owner only. Bumps the attester set version, which
    /// restarts every collection of separate submissions in progress. A removed attester keeps
    /// its bond (and can still be slashed for reports it supported) until it unbonds.
    function setAttester(address attester, bool registered) external;

    /// @notice Sets how many active attesters must support a report to make it pending. Owner only.
    function setThreshold(uint256 threshold) external;

    /// @notice Sets the challenge window (seconds) for reports that become pending later;
    /// shorter than the unbonding delay. Owner only.
    function setChallengeWindow(uint256 challengeWindow) external;

    /// @notice Sets the bond rules (a new `minBond` applies at once). Owner only.
    function setBondSettings(BondSettings calldata settings) external;

    /// @notice Largest number of attesters.
    function MAX_ATTESTERS() external view returns (uint256);

    /// @notice Longest challenge window governance may set.
    function MAX_CHALLENGE_WINDOW() external view returns (uint256);

    /// @notice Longest unbonding delay governance may set.
    function MAX_UNBONDING_DELAY() external view returns (uint256);

    /// @notice Whether `account` is an attester (registered by governance, bonded or not).
    function isAttester(address account) external view returns (bool);

    /// @notice Whether `account` counts toward the threshold now.
    function isActiveAttester(address account) external view returns (bool);

    /// @notice `account`'s standing and bond.
    function attesterInfo(address account) external view returns (AttesterInfo memory);

    /// @notice Number of registered attesters.
    function attesterCount() external view returns (uint256);

    /// @notice Number of active attesters.
    function activeAttesterCount() external view returns (uint256);

    /// @notice Active attesters needed.
    function threshold() external view returns (uint256);

    /// @notice Seconds a pending report can be vetoed or challenged.
    function challengeWindow() external view returns (uint256);

    /// @notice Current bond rules.
    function bondSettings() external view returns (BondSettings memory);

    /// @notice The OPEN token bonds are held in.
    function bondToken() external view returns (address);
}
