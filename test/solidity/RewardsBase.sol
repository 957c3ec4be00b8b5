// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";

import {AttributionRegistry} from "../../contracts/AttributionRegistry.sol";
import {IAttesters} from "../../contracts/interfaces/IAttesters.sol";
import {IAttributionRegistry} from "../../contracts/interfaces/IAttributionRegistry.sol";
import {IContributionRegistry} from "../../contracts/interfaces/IContributionRegistry.sol";
import {IModelRegistry} from "../../contracts/interfaces/IModelRegistry.sol";
import {IRewardDistributor} from "../../contracts/interfaces/IRewardDistributor.sol";
import {ModelRegistry} from "../../contracts/ModelRegistry.sol";
import {OpenToken} from "../../contracts/OpenToken.sol";
import {RewardDistributor} from "../../contracts/RewardDistributor.sol";

/// @dev Deploys the whole system for the rewards' Solidity tests. Models: 1 = base (alice),
/// 2 = adapter of 1 paying 10 % royalty (bob). Attesters a1..a3, threshold 2.
abstract contract RewardsBase is Test {
    uint256 internal constant EPOCH = 1 days;
    uint256 internal constant WINDOW = 1 hours;
    uint256 internal constant MIN_BOND = 1_000 ether;
    uint256 internal constant UNBONDING = 2 hours;
    uint16 internal constant SLASH_BPS = 5_000;
    uint16 internal constant CHALLENGER_BPS = 2_000;

    OpenToken internal token;
    ModelRegistry internal models;
    RewardDistributor internal distributor;
    AttributionRegistry internal attribution;

    address internal gov = makeAddr("gov");
    address internal treasury = makeAddr("treasury");
    address internal guardian = makeAddr("guardian");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal payer = makeAddr("payer");
    address internal a1 = makeAddr("a1");
    address internal a2 = makeAddr("a2");
    address internal a3 = makeAddr("a3");

    function _deploySystem() internal {
        vm.warp(1_800_000_000);
        token = new OpenToken("OpenLedger", "OPEN", 1_000_000_000 ether, address(this));
        // The rewards tests need datanet versions to register models on, not the registry itself
        // (compiling the whole system in one instrumented job exceeds solc-js's memory).
        models = new ModelRegistry(IContributionRegistry(address(new DatanetVersionsStub())), gov, 5_000);
        uint256 datanetId = 1;
        IModelRegistry.DatanetVersion[] memory trainedOn = new IModelRegistry.DatanetVersion[](1);
        trainedOn[0] = IModelRegistry.DatanetVersion(uint32(datanetId), 1);
        vm.prank(alice);
        models.registerModel("ipfs://base", trainedOn, 0, 0);
        vm.prank(bob);
        models.registerModel("ipfs://adapter", trainedOn, 1, 1_000);

        address predicted = vm.computeCreateAddress(address(this), vm.getNonce(address(this)) + 1);
        distributor = new RewardDistributor(
            token,
            models,
            predicted,
            gov,
            treasury,
            guardian,
            IRewardDistributor.Splits(500, 2_000, 1_000),
            block.timestamp,
            EPOCH,
            1 days
        );
        address[] memory attesters = new address[](3);
        (attesters[0], attesters[1], attesters[2]) = (a1, a2, a3);
        attribution = new AttributionRegistry(
            distributor,
            models,
            gov,
            guardian,
            attesters,
            2,
            WINDOW,
            IAttesters.BondSettings(uint96(MIN_BOND), uint40(UNBONDING), SLASH_BPS, CHALLENGER_BPS),
            block.timestamp,
            EPOCH
        );
        require(address(attribution) == predicted, "attribution address");
        _fund(payer, 100_000_000 ether);
        for (uint256 i; i < 3; ++i) _bond(attesters[i], MIN_BOND);
    }

    /// @dev Gives `who` OPEN and has it bond `amount` (it keeps 99x more to bond again later).
    function _bond(address who, uint256 amount) internal {
        token.transfer(who, amount * 100);
        vm.startPrank(who);
        token.approve(address(attribution), type(uint256).max);
        attribution.bond(amount);
        vm.stopPrank();
    }

    function _fund(address who, uint256 amount) internal {
        token.transfer(who, amount);
        vm.prank(who);
        token.approve(address(distributor), type(uint256).max);
    }

    /// @dev The StandardMerkleTree leaf of a cumulative amount.
    function _leaf(uint256 modelId, address account, uint256 amount) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(modelId, account, amount))));
    }

    /// @dev Root of a two-leaf StandardMerkleTree (pair hashed in sorted order).
    function _root(bytes32 a, bytes32 b) internal pure returns (bytes32) {
        return a < b ? keccak256(abi.encode(a, b)) : keccak256(abi.encode(b, a));
    }

    /// @dev Has attesters a1 and a2 post a two-account report for the current (closed) epoch.
    function _postReport(
        uint256 modelId,
        address u1,
        uint256 c1,
        address u2,
        uint256 c2
    ) internal returns (uint256 epoch) {
        epoch = attribution.currentEpoch();
        vm.warp(attribution.epochEnd(epoch));
        IAttributionRegistry.Report memory report = IAttributionRegistry.Report({
            weightsRoot: keccak256("weights"),
            totalWeight: 1,
            cumulativeRoot: _root(_leaf(modelId, u1, c1), _leaf(modelId, u2, c2)),
            totalCumulative: c1 + c2,
            uri: "ipfs://report"
        });
        vm.prank(a1);
        attribution.submitReport(modelId, epoch, report);
        vm.prank(a2);
        attribution.submitReport(modelId, epoch, report);
    }

    function _proof(bytes32 sibling) internal pure returns (bytes32[] memory proof) {
        proof = new bytes32[](1);
        proof[0] = sibling;
    }
}

/// @dev Stands in for the ContributionRegistry where only `versionExists` is needed: every
/// version of every datanet exists. (Challenges of weights leaves read the real registry: they
/// are tested in mocha.)
contract DatanetVersionsStub {
    function versionExists(uint256, uint32) external pure returns (bool) {
        return true;
    }
}
