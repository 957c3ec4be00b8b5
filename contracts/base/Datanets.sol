// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IContributionRegistry} from "../interfaces/IContributionRegistry.sol";
import {ProtocolOwned} from "./ProtocolOwned.sol";

/// @title Datanets
/// @notice The datanet half of the ContributionRegistry: datanets, their settings and the
/// review rules each contribution is decided under, reviewers, ownership, versions and the
/// protocol bounds on settings.
abstract contract Datanets is IContributionRegistry, ProtocolOwned {
    /// @dev What a submission reads, in one slot: kind 8 | open 8 | optimistic 8 |
    /// reviewQuorum 8 | reviewWindow 32 | dailyLimit 32 | bond 96 | rulesIndex 8 |
    /// commitRevealOnly 8. `rulesIndex` names the current entry of `_rules` (a copy of the
    /// bond, quorum, window and optimistic flag above), bumped whenever one of them changes.
    struct Config {
        DatanetKind kind;
        bool open;
        bool optimistic;
        uint8 reviewQuorum;
        uint32 reviewWindow;
        uint32 dailyLimit;
        uint96 bond;
        uint8 rulesIndex;
        bool commitRevealOnly;
    }

    /// @dev Layout: slot 0 = config; slot 1 = owner 160 | acceptedCount 64 | versionCount 32;
    /// slot 2 = pendingOwner; slot 3+ = metadataURI.
    struct Datanet {
        Config config;
        address owner;
        uint64 acceptedCount;
        uint32 versionCount;
        address pendingOwner;
        string metadataURI;
    }

    uint96 private _maxBond;
    uint32 private _maxReviewWindow;
    /// @dev Datanet ids are uint24 so that a contribution fits one slot (16.7 million datanets).
    uint24 private _datanetCount;

    mapping(uint256 datanetId => Datanet) private _datanets;
    /// @dev One slot per entry (see `Rules`): the review rules of each rules index.
    mapping(uint256 datanetId => mapping(uint256 rulesIndex => Rules)) private _rules;
    mapping(uint256 datanetId => mapping(address account => bool)) private _reviewers;
    mapping(uint256 datanetId => mapping(uint32 version => Version)) private _versions;

    constructor(uint96 maxBond_, uint32 maxReviewWindow_) {
        _maxBond = maxBond_;
        _maxReviewWindow = maxReviewWindow_;
    }

    modifier onlyDatanetOwner(uint256 datanetId) {
        _checkDatanetOwner(datanetId);
        _;
    }

    /// @inheritdoc IContributionRegistry
    function createDatanet(
        string calldata metadataURI,
        DatanetSettings calldata settings
    ) external returns (uint256 datanetId) {
        _validateSettings(settings);
        datanetId = ++_datanetCount; // uint24: reverts on overflow after 2^24 - 1 datanets
        Datanet storage d = _datanets[datanetId];
        d.config = _toConfig(settings, 0);
        _rules[datanetId][0] = _toRules(settings);
        d.owner = msg.sender;
        d.metadataURI = metadataURI;
        emit DatanetCreated(datanetId, msg.sender, metadataURI, settings);
    }

    /// @inheritdoc IContributionRegistry
    function updateDatanetSettings(
        uint256 datanetId,
        DatanetSettings calldata settings
    ) external onlyDatanetOwner(datanetId) {
        _validateSettings(settings);
        Config memory current = _datanets[datanetId].config;
        uint8 rulesIndex = current.rulesIndex;
        if (
            settings.bond != current.bond ||
            settings.reviewQuorum != current.reviewQuorum ||
            settings.reviewWindow != current.reviewWindow ||
            settings.optimistic != current.optimistic
        ) {
            if (rulesIndex == type(uint8).max) revert TooManyRuleChanges(datanetId);
            _rules[datanetId][++rulesIndex] = _toRules(settings);
        }
        _datanets[datanetId].config = _toConfig(settings, rulesIndex);
        emit DatanetSettingsUpdated(datanetId, settings, rulesIndex);
    }

    /// @inheritdoc IContributionRegistry
    function setDatanetMetadata(
        uint256 datanetId,
        string calldata metadataURI
    ) external onlyDatanetOwner(datanetId) {
        _datanets[datanetId].metadataURI = metadataURI;
        emit DatanetMetadataUpdated(datanetId, metadataURI);
    }

    /// @inheritdoc IContributionRegistry
    function setReviewer(
        uint256 datanetId,
        address reviewer,
        bool active
    ) external onlyDatanetOwner(datanetId) {
        if (reviewer == address(0)) revert ZeroAddress();
        _reviewers[datanetId][reviewer] = active;
        emit ReviewerSet(datanetId, reviewer, active);
    }

    /// @inheritdoc IContributionRegistry
    function transferDatanetOwnership(
        uint256 datanetId,
        address newOwner
    ) external onlyDatanetOwner(datanetId) {
        _datanets[datanetId].pendingOwner = newOwner;
        emit DatanetOwnershipTransferStarted(datanetId, msg.sender, newOwner);
    }

    /// @inheritdoc IContributionRegistry
    function acceptDatanetOwnership(uint256 datanetId) external {
        Datanet storage d = _datanets[datanetId];
        if (d.pendingOwner != msg.sender || msg.sender == address(0)) {
            revert NotPendingDatanetOwner(datanetId, msg.sender);
        }
        address previous = d.owner;
        d.owner = msg.sender;
        delete d.pendingOwner;
        emit DatanetOwnershipTransferred(datanetId, previous, msg.sender);
    }

    /// @inheritdoc IContributionRegistry
    function snapshotVersion(
        uint256 datanetId
    ) external onlyDatanetOwner(datanetId) returns (uint32 version) {
        Datanet storage d = _datanets[datanetId];
        version = ++d.versionCount;
        uint64 acceptedCount = d.acceptedCount;
        uint40 timestamp = uint40(block.timestamp);
        _versions[datanetId][version] = Version(acceptedCount, timestamp);
        emit DatanetVersionCreated(datanetId, version, acceptedCount, timestamp);
    }

    /// @inheritdoc IContributionRegistry
    function setBounds(uint96 maxBond_, uint32 maxReviewWindow_) external onlyOwner {
        _maxBond = maxBond_;
        _maxReviewWindow = maxReviewWindow_;
        emit BoundsUpdated(maxBond_, maxReviewWindow_);
    }

    /// @inheritdoc IContributionRegistry
    function maxBond() external view returns (uint96) {
        return _maxBond;
    }

    /// @inheritdoc IContributionRegistry
    function maxReviewWindow() external view returns (uint32) {
        return _maxReviewWindow;
    }

    /// @inheritdoc IContributionRegistry
    function datanetCount() external view returns (uint256) {
        return _datanetCount;
    }

    /// @inheritdoc IContributionRegistry
    function getDatanet(
        uint256 datanetId
    )
        external
        view
        returns (
            address owner,
            address pendingOwner,
            DatanetSettings memory settings,
            uint64 acceptedCount,
            uint32 versionCount,
            string memory metadataURI
        )
    {
        Datanet storage d = _existingDatanet(datanetId);
        Config memory c = d.config;
        settings = DatanetSettings(
            c.kind,
            c.open,
            c.optimistic,
            c.reviewQuorum,
            c.reviewWindow,
            c.dailyLimit,
            c.bond,
            c.commitRevealOnly
        );
        return (d.owner, d.pendingOwner, settings, d.acceptedCount, d.versionCount, d.metadataURI);
    }

    /// @inheritdoc IContributionRegistry
    function getRules(uint256 datanetId, uint256 rulesIndex) external view returns (Rules memory) {
        if (rulesIndex > _existingDatanet(datanetId).config.rulesIndex) {
            revert UnknownRules(datanetId, rulesIndex);
        }
        return _rules[datanetId][rulesIndex];
    }

    /// @inheritdoc IContributionRegistry
    function isReviewer(uint256 datanetId, address account) public view returns (bool) {
        return _reviewers[datanetId][account];
    }

    /// @inheritdoc IContributionRegistry
    function getVersion(uint256 datanetId, uint32 version) external view returns (Version memory) {
        if (!versionExists(datanetId, version)) revert UnknownVersion(datanetId, version);
        return _versions[datanetId][version];
    }

    /// @inheritdoc IContributionRegistry
    function versionExists(uint256 datanetId, uint32 version) public view returns (bool) {
        return version != 0 && version <= _datanets[datanetId].versionCount;
    }

    /// @dev Config of an existing, open datanet (one storage read).
    function _openDatanet(uint256 datanetId) internal view returns (Config memory config) {
        config = _datanets[datanetId].config;
        // Every created datanet has reviewQuorum ≥ 1, so 0 means "never created".
        if (config.reviewQuorum == 0) revert UnknownDatanet(datanetId);
        if (!config.open) revert DatanetClosed(datanetId);
    }

    /// @dev The review rules a contribution was submitted under.
    function _rulesOf(uint256 datanetId, uint256 rulesIndex) internal view returns (Rules storage) {
        return _rules[datanetId][rulesIndex];
    }

    /// @dev Counts a contribution of the datanet in or out of its accepted set.
    function _countAccepted(uint256 datanetId, bool accepted) internal {
        Datanet storage d = _datanets[datanetId];
        if (accepted) ++d.acceptedCount;
        else --d.acceptedCount; // only called for a contribution counted in before
    }

    function _existingDatanet(uint256 datanetId) private view returns (Datanet storage d) {
        d = _datanets[datanetId];
        if (d.owner == address(0)) revert UnknownDatanet(datanetId);
    }

    function _checkDatanetOwner(uint256 datanetId) private view {
        address owner = _existingDatanet(datanetId).owner;
        if (owner != msg.sender) revert NotDatanetOwner(datanetId, msg.sender);
    }

    function _toConfig(DatanetSettings calldata s, uint8 rulesIndex) private pure returns (Config memory) {
        return
            Config(
                s.kind,
                s.open,
                s.optimistic,
                s.reviewQuorum,
                s.reviewWindow,
                s.dailyLimit,
                s.bond,
                rulesIndex,
                s.commitRevealOnly
            );
    }

    function _toRules(DatanetSettings calldata s) private pure returns (Rules memory) {
        return Rules(s.bond, s.reviewQuorum, s.reviewWindow, s.optimistic);
    }

    function _validateSettings(DatanetSettings calldata settings) private view {
        if (settings.reviewQuorum == 0) revert InvalidReviewQuorum(settings.reviewQuorum);
        if (settings.reviewWindow > _maxReviewWindow) {
            revert ReviewWindowTooLong(settings.reviewWindow, _maxReviewWindow);
        }
        if (settings.bond > _maxBond) revert BondTooHigh(settings.bond, _maxBond);
    }
}
