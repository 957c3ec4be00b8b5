// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IModelRegistry
/// @notice Models and adapters, the datanet versions they were trained on, and their
/// lineage: an adapter or fine-tune names a parent model and pays it a fixed royalty
/// share of its fees (and the parent pays its own parent, up to `MAX_LINEAGE_DEPTH`).
/// @dev Roles:
/// - protocol owner (the governance timelock, two-step): sets `maxRoyaltyBps`, the upper
///   bound on royalty shares of models registered afterwards;
/// - model owner (the registrant; two-step transferable): updates metadata, activates and
///   deactivates the model (an inactive model cannot be paid nor used as a new parent);
/// - anyone: registers models.
/// The metadata URI is emitted, not stored: indexers read it from `ModelRegistered` and
/// `ModelMetadataUpdated`.
interface IModelRegistry {
    /// @notice A version of a datanet (see IContributionRegistry.snapshotVersion).
    struct DatanetVersion {
        uint32 datanetId;
        uint32 version;
    }

    /// @notice A registered model.
    /// @param owner Receives the model owner's share of fees.
    /// @param parentId The parent model, 0 for a base model.
    /// @param royaltyBps Share of this model's fees (basis points) paid to its parent; fixed.
    /// @param depth 0 for a base model, parent's depth + 1 otherwise (≤ MAX_LINEAGE_DEPTH).
    /// @param active Whether the model can be paid and used as a parent.
    struct Model {
        address owner;
        uint32 parentId;
        uint16 royaltyBps;
        uint8 depth;
        bool active;
    }

    /// @notice A model was registered.
    event ModelRegistered(
        uint256 indexed modelId,
        address indexed owner,
        uint256 indexed parentId,
        uint16 royaltyBps,
        string metadataURI,
        DatanetVersion[] trainedOn
    );
    /// @notice A model owner changed the metadata URI.
    event ModelMetadataUpdated(uint256 indexed modelId, string metadataURI);
    /// @notice A model owner activated or deactivated the model.
    event ModelActiveSet(uint256 indexed modelId, bool active);
    /// @notice A model owner named a new owner, who must accept.
    event ModelOwnershipTransferStarted(uint256 indexed modelId, address indexed from, address indexed to);
    /// @notice A model changed owner.
    event ModelOwnershipTransferred(uint256 indexed modelId, address indexed from, address indexed to);
    /// @notice The protocol owner changed the royalty bound.
    event MaxRoyaltyUpdated(uint16 maxRoyaltyBps);

    /// @notice No model has this id.
    error UnknownModel(uint256 modelId);
    /// @notice The caller does not own the model.
    error NotModelOwner(uint256 modelId, address caller);
    /// @notice The caller is not the model's pending owner.
    error NotPendingModelOwner(uint256 modelId, address caller);
    /// @notice The model is inactive.
    error InactiveModel(uint256 modelId);
    /// @notice A referenced datanet version does not exist.
    error UnknownDatanetVersion(uint256 datanetId, uint256 version);
    /// @notice Too many datanet versions for one model.
    error TooManyVersions(uint256 count, uint256 max);
    /// @notice The royalty share exceeds the protocol bound.
    error RoyaltyTooHigh(uint256 royaltyBps, uint256 max);
    /// @notice A base model (no parent) cannot pay a royalty.
    error RoyaltyWithoutParent(uint256 royaltyBps);
    /// @notice Registering under this parent would exceed the lineage depth bound.
    error LineageTooDeep(uint256 depth, uint256 max);
    /// @notice The royalty bound must not exceed 10,000 basis points.
    error InvalidMaxRoyalty(uint256 maxRoyaltyBps);
    /// @notice The contribution registry address was zero.
    error ZeroAddress();

    /// @notice Registers a model owned by the caller.
    /// @param metadataURI Off-chain description (weights, card, license); emitted only.
    /// @param trainedOn Datanet versions used for training; each must exist.
    /// @param parentId Parent model for an adapter or fine-tune, 0 for a base model; must be active.
    /// @param royaltyBps Share of this model's fees paid to the parent (0 without parent).
    /// @return modelId The new model's id (ids start at 1).
    function registerModel(
        string calldata metadataURI,
        DatanetVersion[] calldata trainedOn,
        uint256 parentId,
        uint16 royaltyBps
    ) external returns (uint256 modelId);

    /// @notice Emits a new metadata URI. Model owner only.
    function setModelMetadata(uint256 modelId, string calldata metadataURI) external;

    /// @notice Activates or deactivates a model. Model owner only.
    function setModelActive(uint256 modelId, bool active) external;

    /// @notice Starts a two-step ownership transfer; `address(0)` cancels. Model owner only.
    function transferModelOwnership(uint256 modelId, address newOwner) external;

    /// @notice Completes an ownership transfer. Pending owner only.
    function acceptModelOwnership(uint256 modelId) external;

    /// @notice Sets the bound on royalty shares of future registrations. Protocol owner only.
    function setMaxRoyaltyBps(uint16 maxRoyaltyBps) external;

    /// @notice The registry whose datanet versions models reference.
    function contributionRegistry() external view returns (address);

    /// @notice Largest number of ancestors a model can have.
    function MAX_LINEAGE_DEPTH() external view returns (uint256);

    /// @notice Current bound on royalty shares.
    function maxRoyaltyBps() external view returns (uint16);

    /// @notice Number of models registered (ids are 1..modelCount).
    function modelCount() external view returns (uint256);

    /// @notice A model; reverts with `UnknownModel` for an unknown id.
    function getModel(uint256 modelId) external view returns (Model memory);

    /// @notice The pending owner of a model (0 if none).
    function pendingModelOwner(uint256 modelId) external view returns (address);

    /// @notice The datanet versions a model was trained on.
    function trainedOn(uint256 modelId) external view returns (DatanetVersion[] memory);

    /// @notice The model's ancestors, parent first, at most MAX_LINEAGE_DEPTH long.
    function lineage(uint256 modelId) external view returns (uint256[] memory ancestors);
}
