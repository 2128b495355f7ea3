package brainstorm

import "github.com/wardsec/ward/model"

// general are the questions asked of every element of a DFD category in a
// STRIDE category, before the library's more specific ones.
var general = map[model.Category]map[model.Stride][]string{
	model.Process: {
		model.Spoofing: {
			"How could a caller pretend to be another user or service?",
			"Which credentials does it trust, and where could someone steal or replay them?",
		},
		model.Tampering: {
			"Which input could an attacker craft to change what it does or what it writes?",
			"Who could change its code, configuration or dependencies without review?",
		},
		model.Repudiation: {
			"Which of its actions could a user later deny, and would its logs prove otherwise?",
			"Could someone erase or forge the record of what it did?",
		},
		model.InformationDisclosure: {
			"What could its errors, logs or responses show to someone who should not see them?",
			"Which secrets does it hold in memory, environment or configuration, and who can read them?",
		},
		model.DenialOfService: {
			"Which single request, input or burst of traffic would make it slow or stop?",
			"What does it depend on, and what happens when that is down?",
		},
		model.ElevationOfPrivilege: {
			"How could an ordinary user reach an admin function or another tenant's data?",
			"What could someone do with its own permissions once they control it?",
		},
	},
	model.Datastore: {
		model.Tampering: {
			"Who can write to it besides the processes meant to, and would anyone notice?",
			"Could its backups or replicas be changed and then restored?",
		},
		model.Repudiation: {
			"If it holds logs or audit records: could someone delete or alter them to hide what they did?",
		},
		model.InformationDisclosure: {
			"Who can read it, its backups, snapshots or exports, and from where?",
			"What leaks if a copy is left somewhere public or its key is stolen?",
		},
		model.DenialOfService: {
			"What happens when it fills up, is deleted or is encrypted by ransomware?",
			"Could a costly query or a flood of writes make it unavailable?",
		},
	},
	model.ExternalEntity: {
		model.Spoofing: {
			"How does the system know it is really talking to this entity and not an impostor?",
			"What can an attacker do with this entity's stolen credentials?",
		},
		model.Repudiation: {
			"Could this entity deny having sent a request or received a response, and what proves it did?",
		},
	},
	model.FlowCategory: {
		model.Tampering: {
			"Could someone on the path change the data, or replay an old message?",
			"Does the receiver check that the data came, unchanged, from the sender?",
		},
		model.InformationDisclosure: {
			"Who can see this traffic: the network, a proxy, a log, a third party?",
			"What would an eavesdropper learn even from encrypted traffic (sizes, timing, endpoints)?",
		},
		model.DenialOfService: {
			"What happens to the sender when the receiver or the network is slow or down?",
			"Could someone flood this channel or cut it?",
		},
	},
}
