// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

// Stand-ins for governors govtally reads but the harness cannot deploy
// (Compound's GovernorAlpha and GovernorBravo, Aragon Voting): each emits its
// governor's proposal and vote events, declared exactly as that governor
// declares them, with arguments the test chooses. The logs are then encoded
// by solc, not by govtally, which is what tests/node/fetch/kinds.mjs checks
// govtally's decoding against. The figures of their decision rules
// (quorumVotes(), Aragon's getVote()) are views with values chosen here.

contract GvtAlphaLog {
    uint256 public quorumVotes = 400_000e18; // Compound's

    event ProposalCreated(uint256 id, address proposer, address[] targets,
                          uint256[] values, string[] signatures,
                          bytes[] calldatas, uint256 startBlock,
                          uint256 endBlock, string description);
    event VoteCast(address voter, uint256 proposalId, bool support,
                   uint256 votes);

    function propose(uint256 id, string calldata description) external {
        emit ProposalCreated(id, msg.sender, new address[](0),
                             new uint256[](0), new string[](0),
                             new bytes[](0), block.number, block.number + 100,
                             description);
    }

    function vote(address voter, uint256 id, bool support, uint256 votes)
        external
    {
        emit VoteCast(voter, id, support, votes);
    }
}

contract GvtBravoLog {
    uint256 public quorumVotes = 40_000_000_123456; // 6 decimals, odd units

    event ProposalCreated(uint256 id, address proposer, address[] targets,
                          uint256[] values, string[] signatures,
                          bytes[] calldatas, uint256 startBlock,
                          uint256 endBlock, string description);
    event VoteCast(address indexed voter, uint256 proposalId, uint8 support,
                   uint256 votes, string reason);

    function propose(uint256 id, string calldata description) external {
        emit ProposalCreated(id, msg.sender, new address[](0),
                             new uint256[](0), new string[](0),
                             new bytes[](0), block.number, block.number + 100,
                             description);
    }

    function vote(address voter, uint256 id, uint8 support, uint256 votes,
                  string calldata reason) external {
        emit VoteCast(voter, id, support, votes, reason);
    }
}

contract GvtAragonLog {
    event StartVote(uint256 indexed voteId, address indexed creator,
                    string metadata);
    // Aragon (Solidity 0.4) names the third field "supports", a reserved
    // word since; names do not enter the event's signature or encoding.
    event CastVote(uint256 indexed voteId, address indexed voter,
                   bool support, uint256 stake);

    function start(uint256 id, string calldata metadata) external {
        emit StartVote(id, msg.sender, metadata);
    }

    // Aragon Voting's getVote, its figures fixed: support 50%, minimum
    // acceptance quorum 5% (Lido's), and the voting power at the snapshot.
    function getVote(uint256)
        external
        pure
        returns (bool open, bool executed, uint64 startDate,
                 uint64 snapshotBlock, uint64 supportRequired,
                 uint64 minAcceptQuorum, uint256 yea, uint256 nay,
                 uint256 votingPower, bytes memory script)
    {
        return (false, true, 1700000000, 1, 5e17, 5e16, 0, 0,
                123_456_789_012345678901234567, "");
    }

    function vote(uint256 id, address voter, bool support, uint256 stake)
        external
    {
        emit CastVote(id, voter, support, stake);
    }
}
