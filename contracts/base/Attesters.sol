// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {IAttesters} from "../interfaces/IAttesters.sol";
import {ProtocolOwned} from "./ProtocolOwned.sol";

/// @title Attesters
/// @notice The attester set, its threshold and challenge window, and the attesters' bonds
/// (see IAttesters).
/// @dev Attesters hold a bit index (0..255). `_activeIndexes` has bit i set exactly when the
/// attester at index i is registered and bonded at least `minBond`; it is updated by every
/// change to a bond, to the set or to `minBond`.
abstract contract Attesters is IAttesters, ProtocolOwned {
    using SafeERC20 for IERC20;

    /// @inheritdoc IAttesters
    uint256 public constant MAX_ATTESTERS = 256;
    /// @inheritdoc IAttesters
    uint256 public constant MAX_CHALLENGE_WINDOW = 30 days;
    /// @inheritdoc IAttesters
    uint256 public constant MAX_UNBONDING_DELAY = 90 days;

    /// @dev One slot, read once by every report path: threshold 16 | attesterCount 16 |
    /// attesterSetVersion 32 | challengeWindow 40 | minBond 96 | unbondingDelay 40.
    struct Config {
        uint16 threshold;
        uint16 attesterCount;
        uint32 attesterSetVersion;
        uint40 challengeWindow;
        uint96 minBond;
        uint40 unbondingDelay;
    }

    /// @dev One slot per account: index + 1 (0 = not registered) 16 | bond 96 | unbonding 96 | unlockAt 40.
    struct Attester {
        uint16 index;
        uint96 bond;
        uint96 unbonding;
        uint40 unlockAt;
    }

    IERC20 internal immutable BOND_TOKEN;

    Config internal _config;
    /// @dev One slot: slashBps 16 | challengerShareBps 16 (read only when a report is voided).
    uint16 private _slashBps;
    uint16 private _challengerShareBps;
    /// @dev Bit i set = index i is held by an attester.
    uint256 private _usedIndexes;
    /// @dev Bit i set = the attester at index i is active.
    uint256 internal _activeIndexes;
    mapping(address account => Attester) internal _attesters;
    mapping(uint256 index => address) internal _attesterAt;

    constructor(
        IERC20 bondToken_,
        address[] memory attesters,
        uint256 threshold_,
        uint256 challengeWindow_,
        BondSettings memory bondSettings_
    ) {
        BOND_TOKEN = bondToken_; // the RewardDistributor's token, which it checked
        _setBondSettings(bondSettings_);
        for (uint256 i; i < attesters.length; ++i) {
            _addAttester(attesters[i]);
        }
        _setThreshold(threshold_);
        _setChallengeWindow(challengeWindow_);
    }

    // ================================================================ bonds

    /// @inheritdoc IAttesters
    function bond(uint256 amount) external {
        Attester memory a = _attesters[msg.sender];
        // bond + unbonding stays below 2^96, so every later move between them fits.
        if (amount == 0 || amount > type(uint96).max - a.bond - a.unbonding) revert InvalidBondAmount(amount);
        uint256 bonded = a.bond + amount;
        a.bond = uint96(bonded);
        _store(msg.sender, a);
        emit Bonded(msg.sender, amount, bonded);
        BOND_TOKEN.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc IAttesters
    function requestUnbond(uint256 amount) external returns (uint256 unlockAt) {
        Attester memory a = _attesters[msg.sender];
        if (amount == 0) revert InvalidBondAmount(amount);
        if (amount > a.bond) revert InsufficientBond(a.bond, amount);
        unlockAt = block.timestamp + _config.unbondingDelay;
        a.bond -= uint96(amount);
        a.unbonding += uint96(amount); // bond + unbonding < 2^96 (see `bond`)
        a.unlockAt = uint40(unlockAt);
        _store(msg.sender, a);
        emit UnbondRequested(msg.sender, amount, a.unbonding, unlockAt);
    }

    /// @inheritdoc IAttesters
    function withdrawBond() external returns (uint256 amount) {
        Attester memory a = _attesters[msg.sender];
        amount = a.unbonding;
        if (amount == 0) revert NothingUnbonding(msg.sender);
        if (block.timestamp < a.unlockAt) revert BondLocked(a.unlockAt);
        a.unbonding = 0;
        _attesters[msg.sender] = a; // activity depends on the bond only: unchanged
        emit BondWithdrawn(msg.sender, amount);
        BOND_TOKEN.safeTransfer(msg.sender, amount);
    }

    // ================================================================ owner

    /// @inheritdoc IAttesters
    function setAttester(address attester, bool registered) external onlyOwner {
        if (registered) {
            _addAttester(attester);
        } else {
            Attester memory a = _attesters[attester];
            if (a.index == 0) revert AttesterUnchanged(attester, false);
            uint256 remaining = _config.attesterCount - 1;
            if (_config.threshold > remaining) revert InvalidThreshold(_config.threshold, remaining);
            uint256 bit = 1 << (a.index - 1);
            _usedIndexes &= ~bit;
            _activeIndexes &= ~bit;
            delete _attesterAt[a.index - 1];
            a.index = 0;
            _attesters[attester] = a;
            _config.attesterCount = uint16(remaining);
            emit AttesterSet(attester, false, ++_config.attesterSetVersion);
        }
    }

    /// @inheritdoc IAttesters
    function setThreshold(uint256 threshold_) external onlyOwner {
        _setThreshold(threshold_);
    }

    /// @inheritdoc IAttesters
    function setChallengeWindow(uint256 challengeWindow_) external onlyOwner {
        _setChallengeWindow(challengeWindow_);
    }

    /// @inheritdoc IAttesters
    function setBondSettings(BondSettings calldata settings) external onlyOwner {
        _setBondSettings(settings);
        // Activity follows the new minimum: at most 256 attesters, set by governance.
        uint256 used = _usedIndexes;
        uint256 active;
        for (uint256 i; used >> i != 0; ++i) {
            if ((used >> i) & 1 == 1 && _attesters[_attesterAt[i]].bond >= settings.minBond) active |= 1 << i;
        }
        _activeIndexes = active;
    }

    // ================================================================ reads

    /// @inheritdoc IAttesters
    function isAttester(address account) external view returns (bool) {
        return _attesters[account].index != 0;
    }

    /// @inheritdoc IAttesters
    function isActiveAttester(address account) public view returns (bool) {
        Attester memory a = _attesters[account];
        return a.index != 0 && a.bond >= _config.minBond;
    }

    /// @inheritdoc IAttesters
    function attesterInfo(address account) external view returns (AttesterInfo memory) {
        Attester memory a = _attesters[account];
        return AttesterInfo(a.index != 0, isActiveAttester(account), a.bond, a.unbonding, a.unlockAt);
    }

    /// @inheritdoc IAttesters
    function attesterCount() external view returns (uint256) {
        return _config.attesterCount;
    }

    /// @inheritdoc IAttesters
    function activeAttesterCount() external view returns (uint256) {
        return _popcount(_activeIndexes);
    }

    /// @inheritdoc IAttesters
    function threshold() external view returns (uint256) {
        return _config.threshold;
    }

    /// @inheritdoc IAttesters
    function challengeWindow() external view returns (uint256) {
        return _config.challengeWindow;
    }

    /// @inheritdoc IAttesters
    function bondSettings() public view returns (BondSettings memory) {
        Config memory c = _config;
        return BondSettings(c.minBond, c.unbondingDelay, _slashBps, _challengerShareBps);
    }

    /// @inheritdoc IAttesters
    function bondToken() external view returns (address) {
        return address(BOND_TOKEN);
    }

    // ================================================================ internal

    /// @dev Slashes `slashBps` of each supporter's bond and unbonding OPEN (bond first), pays the
    /// challenger its share and the treasury the rest. Loops once per supporter (≤ 256).
    function _slash(
        address[] calldata supporters,
        address challenger,
        address treasury_
    ) internal returns (uint256 slashed, uint256 reward) {
        uint256 slashBps = _slashBps;
        for (uint256 i; i < supporters.length; ++i) {
            Attester memory a = _attesters[supporters[i]];
            uint256 amount = ((uint256(a.bond) + a.unbonding) * slashBps) / 10_000;
            uint256 fromBond = amount < a.bond ? amount : a.bond;
            a.bond -= uint96(fromBond);
            a.unbonding -= uint96(amount - fromBond);
            _store(supporters[i], a);
            slashed += amount;
            emit AttesterSlashed(supporters[i], amount, a.bond, a.unbonding);
        }
        reward = (slashed * _challengerShareBps) / 10_000;
        // OPEN has no transfer hooks; all state is final before these transfers.
        if (reward != 0) BOND_TOKEN.safeTransfer(challenger, reward);
        if (slashed != reward) BOND_TOKEN.safeTransfer(treasury_, slashed - reward);
    }

    /// @dev Addresses of the attesters whose bits are set in `bitmap`, by index.
    function _attestersOf(uint256 bitmap) internal view returns (address[] memory list) {
        list = new address[](_popcount(bitmap));
        uint256 n;
        for (uint256 i; bitmap >> i != 0; ++i) {
            if ((bitmap >> i) & 1 == 1) list[n++] = _attesterAt[i];
        }
    }

    /// @dev Number of set bits; loops once per set bit (≤ number of attesters).
    function _popcount(uint256 bits) internal pure returns (uint256 count) {
        while (bits != 0) {
            bits &= bits - 1;
            ++count;
        }
    }

    /// @dev Stores `a` for `account` and updates its active bit.
    function _store(address account, Attester memory a) private {
        _attesters[account] = a;
        if (a.index == 0) return;
        uint256 bit = 1 << (a.index - 1);
        _activeIndexes = a.bond >= _config.minBond ? _activeIndexes | bit : _activeIndexes & ~bit;
    }

    function _addAttester(address attester) private {
        if (attester == address(0)) revert ZeroAddress();
        Attester memory a = _attesters[attester];
        if (a.index != 0) revert AttesterUnchanged(attester, true);
        uint256 used = _usedIndexes;
        if (used == type(uint256).max) revert TooManyAttesters();
        uint256 index;
        while (used & (1 << index) != 0) ++index; // < 256 iterations: some bit is free
        _usedIndexes = used | (1 << index);
        _attesterAt[index] = attester;
        a.index = uint16(index + 1);
        _store(attester, a);
        ++_config.attesterCount; // ≤ 256 fits uint16
        emit AttesterSet(attester, true, ++_config.attesterSetVersion);
    }

    function _setThreshold(uint256 threshold_) private {
        uint256 count = _config.attesterCount;
        if (threshold_ == 0 || threshold_ > count) revert InvalidThreshold(threshold_, count);
        _config.threshold = uint16(threshold_); // ≤ count ≤ 256
        emit ThresholdUpdated(threshold_);
    }

    function _setChallengeWindow(uint256 challengeWindow_) private {
        uint256 max = _config.unbondingDelay - 1; // the delay is ≥ 1
        if (max > MAX_CHALLENGE_WINDOW) max = MAX_CHALLENGE_WINDOW;
        if (challengeWindow_ > max) revert ChallengeWindowTooLong(challengeWindow_, max);
        _config.challengeWindow = uint40(challengeWindow_);
        emit ChallengeWindowUpdated(challengeWindow_);
    }

    function _setBondSettings(BondSettings memory s) private {
        if (
            s.minBond == 0 ||
            s.unbondingDelay <= _config.challengeWindow ||
            s.unbondingDelay > MAX_UNBONDING_DELAY ||
            s.slashBps == 0 ||
            s.slashBps > 10_000 ||
            s.challengerShareBps > 10_000
        ) revert InvalidBondSettings(s);
        (_config.minBond, _config.unbondingDelay) = (s.minBond, s.unbondingDelay);
        (_slashBps, _challengerShareBps) = (s.slashBps, s.challengerShareBps);
        emit BondSettingsUpdated(s);
    }
}
