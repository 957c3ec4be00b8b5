// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IModelRegistry} from "../../contracts/interfaces/IModelRegistry.sol";
import {ModelRegistry} from "../../contracts/ModelRegistry.sol";
import {RegistryBase} from "./ContributionRegistry.t.sol";

/// @notice Gas snapshots (`snapshots/registry.json`, checked in CI) of the registry's hot
/// paths, in steady state (accounts and balances already exist). They record the gas of
/// the call itself with all storage cold (`vm.cool`, as at the start of a transaction), without
/// the 21,000 intrinsic gas and calldata that the per-transaction benchmark
/// (`npm run bench:registry`) includes.
contract RegistryGasTest is RegistryBase {
    string internal constant URI = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";

    ModelRegistry internal models;
    address internal alice = makeAddr("alice");
    address internal reviewer1 = makeAddr("reviewer1");
    address internal reviewer2 = makeAddr("reviewer2");
    uint256 internal free;
    uint256 internal bonded;

    /// @dev Marks the system's storage cold, as at the start of a new transaction.
    function _cool() internal {
        vm.cool(address(token));
        vm.cool(address(registry));
        vm.cool(address(models));
    }

    function setUp() public {
        _deploy();
        models = new ModelRegistry(registry, gov, 5_000);
        free = _createDatanet(0, 2);
        bonded = _createDatanet(10 ether, 2);
        vm.startPrank(curator);
        for (uint256 d = 1; d <= 2; ++d) {
            registry.setReviewer(d, reviewer1, true);
            registry.setReviewer(d, reviewer2, true);
        }
        vm.stopPrank();
        _fund(alice, 1_000_000 ether);
        vm.startPrank(alice);
        registry.contribute(free, keccak256("warm-up"), URI, type(uint96).max);
        registry.contribute(bonded, keccak256("warm-up"), URI, type(uint96).max);
        vm.stopPrank();
    }

    function test_gas_contribute() public {
        vm.startPrank(alice);
        _cool();
        registry.contribute(free, keccak256("a"), URI, 0);
        vm.snapshotGasLastCall("registry", "contribute_noBond");
        _cool();
        registry.contribute(bonded, keccak256("b"), URI, 10 ether);
        vm.snapshotGasLastCall("registry", "contribute_bond");
        vm.stopPrank();
    }

    function test_gas_commitAndReveal() public {
        bytes32[] memory hashes = new bytes32[](1);
        hashes[0] = keccak256("committed");
        string[] memory uris = new string[](1);
        uris[0] = URI;
        bytes32 commitment = registry.hashCommitment(free, hashes, uris, 0, keccak256("salt"));
        vm.startPrank(alice);
        _cool();
        registry.commit(commitment);
        vm.snapshotGasLastCall("registry", "commit");
        vm.warp(block.timestamp + registry.MIN_REVEAL_DELAY());
        _cool();
        registry.reveal(alice, free, hashes, uris, 0, keccak256("salt"));
        vm.snapshotGasLastCall("registry", "reveal_one");
        vm.stopPrank();
    }

    function test_gas_contributeBatch100() public {
        bytes32[] memory hashes = new bytes32[](100);
        string[] memory uris = new string[](100);
        for (uint256 i; i < 100; ++i) {
            hashes[i] = keccak256(abi.encode(i));
            uris[i] = URI;
        }
        _cool();
        vm.prank(alice);
        registry.contributeBatch(free, hashes, uris, type(uint96).max);
        vm.snapshotGasLastCall("registry", "contributeBatch_100");
    }

    function test_gas_review() public {
        vm.prank(alice);
        bytes32 id = registry.contribute(bonded, keccak256("r"), URI, type(uint96).max);
        _cool();
        vm.prank(reviewer1);
        registry.review(id, true);
        vm.snapshotGasLastCall("registry", "review_vote");
        _cool();
        vm.prank(reviewer2);
        registry.review(id, true);
        vm.snapshotGasLastCall("registry", "review_decidingVoteWithRefund");
    }

    function test_gas_registerModel3Versions() public {
        vm.startPrank(curator);
        uint256 third = registry.createDatanet("ipfs://third", _settings(0, 1));
        registry.snapshotVersion(free);
        registry.snapshotVersion(bonded);
        registry.snapshotVersion(third);
        vm.stopPrank();
        IModelRegistry.DatanetVersion[] memory versions = new IModelRegistry.DatanetVersion[](3);
        versions[0] = IModelRegistry.DatanetVersion(uint32(free), 1);
        versions[1] = IModelRegistry.DatanetVersion(uint32(bonded), 1);
        versions[2] = IModelRegistry.DatanetVersion(uint32(third), 1);
        _cool();
        vm.prank(alice);
        models.registerModel("ipfs://model", versions, 0, 0);
        vm.snapshotGasLastCall("registry", "registerModel_3versions");
    }

    function test_gas_withdrawPending() public {
        vm.startPrank(alice);
        bytes32 id = registry.contribute(bonded, keccak256("w"), URI, type(uint96).max);
        _cool();
        registry.withdraw(id);
        vm.snapshotGasLastCall("registry", "withdraw_pendingBondStaysEscrowed");
        vm.stopPrank();
    }
}
