// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

import {IContributionRegistry} from "./interfaces/IContributionRegistry.sol";
import {IModelRegistry} from "./interfaces/IModelRegistry.sol";
import {ProtocolOwned} from "./base/ProtocolOwned.sol";

/// @title ModelRegistry
/// @notice Models and adapters with their training data versions and lineage.
contract ModelRegistry is IModelRegistry, ProtocolOwned {
    /// @inheritdoc IModelRegistry
    uint256 public constant MAX_LINEAGE_DEPTH = 8;
    /// @notice Largest number of datanet versions one model may reference.
    uint256 public constant MAX_TRAINED_ON = 64;
    uint256 private constant MAX_BPS = 10_000;

    IContributionRegistry private immutable CONTRIBUTIONS;

    uint16 private _maxRoyaltyBps;
    uint32 private _modelCount;

    /// @dev Model layout, one slot: owner 160 | parentId 32 | royaltyBps 16 | depth 8 | active 8.
    mapping(uint256 modelId => Model) private _models;
    mapping(uint256 modelId => address) private _pendingOwners;
    /// @dev Each entry packs `datanetId << 32 | version`, four per slot.
    mapping(uint256 modelId => uint64[]) private _trainedOn;

    /// @param contributions The ContributionRegistry holding datanet versions.
    /// @param protocolOwner The governance timelock.
    /// @param maxRoyaltyBps_ Initial bound on royalty shares (basis points).
    constructor(
        IContributionRegistry contributions,
        address protocolOwner,
        uint16 maxRoyaltyBps_
    ) Ownable(protocolOwner) {
        if (address(contributions) == address(0)) revert ZeroAddress();
        if (maxRoyaltyBps_ > MAX_BPS) revert InvalidMaxRoyalty(maxRoyaltyBps_);
        CONTRIBUTIONS = contributions;
        _maxRoyaltyBps = maxRoyaltyBps_;
    }

    modifier onlyModelOwner(uint256 modelId) {
        address owner = _existingModel(modelId).owner;
        if (owner != msg.sender) revert NotModelOwner(modelId, msg.sender);
        _;
    }

    /// @inheritdoc IModelRegistry
    function registerModel(
        string calldata metadataURI,
        DatanetVersion[] calldata trainedOn_,
        uint256 parentId,
        uint16 royaltyBps
    ) external returns (uint256 modelId) {
        uint8 depth;
        if (parentId == 0) {
            if (royaltyBps != 0) revert RoyaltyWithoutParent(royaltyBps);
        } else {
            Model storage parent = _existingModel(parentId);
            if (!parent.active) revert InactiveModel(parentId);
            if (royaltyBps > _maxRoyaltyBps) revert RoyaltyTooHigh(royaltyBps, _maxRoyaltyBps);
            uint256 parentDepth = parent.depth;
            if (parentDepth >= MAX_LINEAGE_DEPTH) revert LineageTooDeep(parentDepth + 1, MAX_LINEAGE_DEPTH);
            depth = uint8(parentDepth + 1); // ≤ MAX_LINEAGE_DEPTH
        }

        uint256 count = trainedOn_.length;
        if (count > MAX_TRAINED_ON) revert TooManyVersions(count, MAX_TRAINED_ON);
        modelId = ++_modelCount; // uint32: reverts on overflow
        uint64[] storage packed = _trainedOn[modelId];
        for (uint256 i; i < count; ++i) {
            DatanetVersion calldata v = trainedOn_[i];
            if (!CONTRIBUTIONS.versionExists(v.datanetId, v.version)) {
                revert UnknownDatanetVersion(v.datanetId, v.version);
            }
            packed.push((uint64(v.datanetId) << 32) | v.version);
        }
        // parentId fits: it is ≤ _modelCount, a uint32.
        _models[modelId] = Model(msg.sender, uint32(parentId), royaltyBps, depth, true);
        emit ModelRegistered(modelId, msg.sender, parentId, royaltyBps, metadataURI, trainedOn_);
    }

    /// @inheritdoc IModelRegistry
    function setModelMetadata(uint256 modelId, string calldata metadataURI) external onlyModelOwner(modelId) {
        emit ModelMetadataUpdated(modelId, metadataURI);
    }

    /// @inheritdoc IModelRegistry
    function setModelActive(uint256 modelId, bool active) external onlyModelOwner(modelId) {
        _models[modelId].active = active;
        emit ModelActiveSet(modelId, active);
    }

    /// @inheritdoc IModelRegistry
    function transferModelOwnership(uint256 modelId, address newOwner) external onlyModelOwner(modelId) {
        _pendingOwners[modelId] = newOwner;
        emit ModelOwnershipTransferStarted(modelId, msg.sender, newOwner);
    }

    /// @inheritdoc IModelRegistry
    function acceptModelOwnership(uint256 modelId) external {
        if (_pendingOwners[modelId] != msg.sender || msg.sender == address(0)) {
            revert NotPendingModelOwner(modelId, msg.sender);
        }
        Model storage model = _models[modelId];
        address previous = model.owner;
        model.owner = msg.sender;
        delete _pendingOwners[modelId];
        emit ModelOwnershipTransferred(modelId, previous, msg.sender);
    }

    /// @inheritdoc IModelRegistry
    function setMaxRoyaltyBps(uint16 maxRoyaltyBps_) external onlyOwner {
        if (maxRoyaltyBps_ > MAX_BPS) revert InvalidMaxRoyalty(maxRoyaltyBps_);
        _maxRoyaltyBps = maxRoyaltyBps_;
        emit MaxRoyaltyUpdated(maxRoyaltyBps_);
    }

    /// @inheritdoc IModelRegistry
    function contributionRegistry() external view returns (address) {
        return address(CONTRIBUTIONS);
    }

    /// @inheritdoc IModelRegistry
    function maxRoyaltyBps() external view returns (uint16) {
        return _maxRoyaltyBps;
    }

    /// @inheritdoc IModelRegistry
    function modelCount() external view returns (uint256) {
        return _modelCount;
    }

    /// @inheritdoc IModelRegistry
    function getModel(uint256 modelId) external view returns (Model memory) {
        return _existingModel(modelId);
    }

    /// @inheritdoc IModelRegistry
    function pendingModelOwner(uint256 modelId) external view returns (address) {
        return _pendingOwners[modelId];
    }

    /// @inheritdoc IModelRegistry
    function trainedOn(uint256 modelId) external view returns (DatanetVersion[] memory versions) {
        _existingModel(modelId);
        uint64[] storage packed = _trainedOn[modelId];
        versions = new DatanetVersion[](packed.length);
        for (uint256 i; i < versions.length; ++i) {
            uint64 entry = packed[i];
            versions[i] = DatanetVersion(uint32(entry >> 32), uint32(entry));
        }
    }

    /// @inheritdoc IModelRegistry
    function lineage(uint256 modelId) external view returns (uint256[] memory ancestors) {
        Model storage model = _existingModel(modelId);
        ancestors = new uint256[](model.depth);
        uint256 current = model.parentId;
        // The loop is bounded by the depth, itself ≤ MAX_LINEAGE_DEPTH.
        for (uint256 i; i < ancestors.length; ++i) {
            ancestors[i] = current;
            current = _models[current].parentId;
        }
    }

    function _existingModel(uint256 modelId) private view returns (Model storage model) {
        model = _models[modelId];
        if (model.owner == address(0)) revert UnknownModel(modelId);
    }
}
