// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";

import {ContributionRegistry} from "../../contracts/ContributionRegistry.sol";
import {IContributionRegistry} from "../../contracts/interfaces/IContributionRegistry.sol";
import {OpenToken} from "../../contracts/OpenToken.sol";

/// @dev Shared deployment for the registry's Solidity tests.
abstract contract RegistryBase is Test {
    uint96 internal constant MAX_BOND = 1_000_000 ether;
    uint32 internal constant MAX_WINDOW = 30 days;

    OpenToken internal token;
    ContributionRegistry internal registry;
    address internal gov = makeAddr("gov");
    address internal treasury = makeAddr("treasury");
    address internal curator = makeAddr("curator");

    function _deploy() internal {
        token = new OpenToken("OpenLedger", "OPEN", 1_000_000_000 ether, address(this));
        registry = new ContributionRegistry(token, gov, treasury, MAX_BOND, MAX_WINDOW);
    }

    function _settings(
        uint96 bond,
        uint8 quorum
    ) internal pure returns (IContributionRegistry.DatanetSettings memory) {
        return
            IContributionRegistry.DatanetSettings({
                kind: IContributionRegistry.DatanetKind.Dataset,
                open: true,
                optimistic: true,
                reviewQuorum: quorum,
                reviewWindow: 1 days,
                dailyLimit: 0,
                bond: bond,
                commitRevealOnly: false
            });
    }

    function _createDatanet(uint96 bond, uint8 quorum) internal returns (uint256 id) {
        vm.prank(curator);
        id = registry.createDatanet("ipfs://datanet", _settings(bond, quorum));
    }

    function _fund(address who, uint256 amount) internal {
        token.transfer(who, amount);
        vm.prank(who);
        token.approve(address(registry), type(uint256).max);
    }
}

contract ContributionRegistryFuzzTest is RegistryBase {
    bytes32 internal constant CONTRIBUTE_TYPEHASH = keccak256(
        "Contribute(address contributor,uint256 datanetId,bytes32 contentHash,bytes32 uriHash,uint256 maxBond,uint256 nonce,uint256 deadline)"
    );

    function setUp() public {
        _deploy();
    }

    function testFuzz_contribute_recordsAnyContentOnce(bytes32 contentHash, address contributor) public {
        vm.assume(contentHash != bytes32(0) && contributor != address(0));
        uint256 datanetId = _createDatanet(0, 1);
        vm.prank(contributor);
        bytes32 id = registry.contribute(datanetId, contentHash, "ipfs://x", type(uint96).max);
        assertEq(id, keccak256(abi.encode(datanetId, contentHash)));
        IContributionRegistry.Contribution memory c = registry.getContribution(id);
        assertEq(c.contributor, contributor);
        assertEq(uint8(c.status), uint8(IContributionRegistry.Status.Pending));
        assertEq(registry.reputation(contributor).submitted, 1);

        vm.expectRevert(
            abi.encodeWithSelector(IContributionRegistry.DuplicateContent.selector, datanetId, contentHash)
        );
        vm.prank(contributor);
        registry.contribute(datanetId, contentHash, "ipfs://again", type(uint96).max);
    }

    function testFuzz_bond_escrowedThenRefundedOrSlashed(uint96 bond, bool accept) public {
        bond = uint96(bound(bond, 1, MAX_BOND));
        uint256 datanetId = _createDatanet(bond, 1);
        address alice = makeAddr("alice");
        address reviewer = makeAddr("reviewer");
        vm.prank(curator);
        registry.setReviewer(datanetId, reviewer, true);
        _fund(alice, bond);

        vm.prank(alice);
        bytes32 id = registry.contribute(datanetId, keccak256("c"), "u", type(uint96).max);
        assertEq(token.balanceOf(address(registry)), bond);
        assertEq(token.balanceOf(alice), 0);

        vm.prank(reviewer);
        registry.review(id, accept);
        assertEq(token.balanceOf(address(registry)), 0);
        assertEq(token.balanceOf(alice), accept ? bond : 0);
        assertEq(token.balanceOf(treasury), accept ? 0 : bond);
        assertEq(registry.reputation(alice).slashed, accept ? 0 : bond);
    }

    function testFuzz_bond_aboveBoundReverts(uint96 bond) public {
        bond = uint96(bound(bond, uint256(MAX_BOND) + 1, type(uint96).max));
        vm.expectRevert(abi.encodeWithSelector(IContributionRegistry.BondTooHigh.selector, bond, MAX_BOND));
        vm.prank(curator);
        registry.createDatanet("x", _settings(bond, 1));
    }

    /// Votes arrive in a fuzzed order; the first side to reach the quorum decides.
    function testFuzz_quorum_decidesOnFirstSideToReachIt(uint8 quorum, uint256 voteBits) public {
        quorum = uint8(bound(quorum, 1, 12));
        uint256 datanetId = _createDatanet(0, quorum);
        address alice = makeAddr("alice");
        vm.prank(alice);
        bytes32 id = registry.contribute(datanetId, keccak256("q"), "u", type(uint96).max);

        uint256 approvals;
        uint256 rejections;
        IContributionRegistry.Status expected = IContributionRegistry.Status.Pending;
        for (uint256 i; i < 2 * uint256(quorum) - 1; ++i) {
            address reviewer = address(uint160(0x1000 + i));
            vm.prank(curator);
            registry.setReviewer(datanetId, reviewer, true);
            bool approve = (voteBits >> i) & 1 == 1;
            vm.prank(reviewer);
            registry.review(id, approve);
            if (approve) ++approvals;
            else ++rejections;
            if (approvals == quorum) expected = IContributionRegistry.Status.Accepted;
            if (rejections == quorum) expected = IContributionRegistry.Status.Rejected;
            if (expected != IContributionRegistry.Status.Pending) break;
        }
        // With 2q-1 votes one side always reaches q.
        assertTrue(expected != IContributionRegistry.Status.Pending);
        assertEq(uint8(registry.getContribution(id).status), uint8(expected));
    }

    function testFuzz_signature_validOnlyForExactFields(
        uint256 signerKey,
        bytes32 contentHash,
        uint256 deadlineOffset,
        uint8 tamper
    ) public {
        signerKey = bound(signerKey, 1, 2 ** 128);
        vm.assume(contentHash != bytes32(0));
        deadlineOffset = bound(deadlineOffset, 0, 365 days);
        address contributor = vm.addr(signerKey);
        uint256 datanetId = _createDatanet(0, 1);
        uint256 otherDatanet = _createDatanet(0, 1);
        uint256 deadline = block.timestamp + deadlineOffset;

        IContributionRegistry.SignedContribution memory request = IContributionRegistry.SignedContribution({
            contributor: contributor,
            datanetId: datanetId,
            contentHash: contentHash,
            uri: "ipfs://signed",
            maxBond: 5 ether,
            deadline: deadline,
            signature: _sign(signerKey, contributor, datanetId, contentHash, "ipfs://signed", 0, deadline)
        });

        tamper = uint8(bound(tamper, 0, 5));
        if (tamper == 1) request.datanetId = otherDatanet;
        if (tamper == 2) request.contentHash = keccak256(abi.encode(contentHash));
        if (tamper == 3) request.uri = "ipfs://other";
        if (tamper == 4) request.deadline = deadline + 1;
        if (tamper == 5) request.maxBond = 6 ether;

        if (tamper != 0) {
            vm.expectRevert(
                abi.encodeWithSelector(IContributionRegistry.InvalidSignature.selector, contributor)
            );
            registry.contributeWithSig(request);
            assertEq(registry.nonces(contributor), 0);
        } else {
            registry.contributeWithSig(request);
            assertEq(registry.nonces(contributor), 1);
            vm.expectRevert(
                abi.encodeWithSelector(IContributionRegistry.InvalidSignature.selector, contributor)
            );
            registry.contributeWithSig(request); // replay: nonce moved on
        }
    }

    /// A commitment reveals only with exactly the fields committed to, for its committer.
    function testFuzz_reveal_onlyTheExactCommitment(
        address contributor,
        bytes32 salt,
        uint96 maxBond,
        bytes32 contentHash,
        uint8 tamper
    ) public {
        vm.assume(contributor != address(0) && contentHash != bytes32(0));
        uint256 datanetId = _createDatanet(0, 1);
        bytes32[] memory hashes = new bytes32[](1);
        hashes[0] = contentHash;
        string[] memory uris = new string[](1);
        uris[0] = "ipfs://c";
        bytes32 commitment = registry.hashCommitment(datanetId, hashes, uris, maxBond, salt);
        assertEq(commitment, keccak256(abi.encode(datanetId, hashes, uris, maxBond, salt)));
        vm.prank(contributor);
        registry.commit(commitment);
        vm.warp(block.timestamp + registry.MIN_REVEAL_DELAY());

        tamper = uint8(bound(tamper, 0, 3));
        address revealedFor = tamper == 1 ? address(uint160(contributor) ^ 1) : contributor;
        if (tamper == 2) salt = bytes32(uint256(salt) ^ 1);
        if (tamper == 3) maxBond = maxBond ^ 1;
        if (tamper != 0) {
            bytes32 wrong = registry.hashCommitment(datanetId, hashes, uris, maxBond, salt);
            vm.expectRevert(
                abi.encodeWithSelector(IContributionRegistry.UnknownCommitment.selector, revealedFor, wrong)
            );
        }
        registry.reveal(revealedFor, datanetId, hashes, uris, maxBond, salt);
        if (tamper == 0) {
            assertEq(
                registry.getContribution(registry.contributionId(datanetId, contentHash)).contributor,
                contributor
            );
        }
    }

    function testFuzz_signature_expiredReverts(uint256 late) public {
        late = bound(late, 1, 365 days);
        uint256 key = 0xA11CE;
        address contributor = vm.addr(key);
        uint256 datanetId = _createDatanet(0, 1);
        uint256 deadline = block.timestamp;
        IContributionRegistry.SignedContribution memory request = IContributionRegistry.SignedContribution(
            contributor,
            datanetId,
            keccak256("e"),
            "u",
            5 ether,
            deadline,
            _sign(key, contributor, datanetId, keccak256("e"), "u", 0, deadline)
        );
        vm.warp(deadline + late);
        vm.expectRevert(
            abi.encodeWithSelector(IContributionRegistry.SignatureExpired.selector, deadline, deadline + late)
        );
        registry.contributeWithSig(request);
    }

    function test_updateSettings_revertsAfterTooManyRuleChanges() public {
        uint256 datanetId = _createDatanet(1 ether, 1);
        // Find the datanet's config slot and set its rulesIndex (bits 192..199) to the maximum.
        bytes32 configSlot = _findConfigSlot(datanetId);
        bytes32 packed = vm.load(address(registry), configSlot);
        vm.store(address(registry), configSlot, packed | bytes32(uint256(type(uint8).max) << 192));

        vm.expectRevert(abi.encodeWithSelector(IContributionRegistry.TooManyRuleChanges.selector, datanetId));
        vm.prank(curator);
        registry.updateDatanetSettings(datanetId, _settings(2 ether, 1));
        vm.expectRevert(abi.encodeWithSelector(IContributionRegistry.TooManyRuleChanges.selector, datanetId));
        vm.prank(curator);
        registry.updateDatanetSettings(datanetId, _settings(1 ether, 2));
        // Settings outside the review rules can still change.
        IContributionRegistry.DatanetSettings memory closed = _settings(1 ether, 1);
        closed.open = false;
        vm.prank(curator);
        registry.updateDatanetSettings(datanetId, closed);
        (, , IContributionRegistry.DatanetSettings memory stored, , , ) = registry.getDatanet(datanetId);
        assertFalse(stored.open);
    }

    function _findConfigSlot(uint256 datanetId) private view returns (bytes32) {
        // kind 0 | open 1 (bits 8..15) | optimistic 1 (16..23) | quorum 1 (24..31) |
        // window 1 days (32..63) | dailyLimit 0 | bond 1 ether (96..191) | rulesIndex 0 |
        // commitRevealOnly 0.
        uint256 expected =
            (1 << 8) | (1 << 16) | (1 << 24) | (uint256(1 days) << 32) | (uint256(1 ether) << 96);
        for (uint256 slot; slot < 32; ++slot) {
            bytes32 candidate = keccak256(abi.encode(datanetId, slot));
            if (uint256(vm.load(address(registry), candidate)) == expected) return candidate;
        }
        revert("config slot not found");
    }

    function _sign(
        uint256 key,
        address contributor,
        uint256 datanetId,
        bytes32 contentHash,
        string memory uri,
        uint256 nonce,
        uint256 deadline
    ) private view returns (bytes memory) {
        bytes32 structHash = keccak256(
            abi.encode(
                CONTRIBUTE_TYPEHASH,
                contributor,
                datanetId,
                contentHash,
                keccak256(bytes(uri)),
                uint256(5 ether),
                nonce,
                deadline
            )
        );
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", registry.DOMAIN_SEPARATOR(), structHash));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }
}
