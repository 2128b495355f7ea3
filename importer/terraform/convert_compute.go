package terraform

import (
	"maps"
	"slices"
)

// Conversions of clusters, instance groups, workflows and builds.

func eksCluster(tf map[string]any) map[string]any {
	out := rename(tf, "name", "__name", "role_arn", "RoleArn", "version", "Version")
	if tf["name"] != nil {
		out["Name"] = tf["name"]
	}
	if b := block(tf, "vpc_config"); b != nil {
		out["ResourcesVpcConfig"] = rename(b, "subnet_ids", "SubnetIds", "security_group_ids", "SecurityGroupIds",
			"endpoint_public_access", "EndpointPublicAccess", "endpoint_private_access", "EndpointPrivateAccess",
			"public_access_cidrs", "PublicAccessCidrs")
	}
	var types []any
	for _, t := range asList(tf["enabled_cluster_log_types"]) {
		types = append(types, map[string]any{"Type": t})
	}
	if types != nil {
		out["Logging"] = map[string]any{"ClusterLogging": map[string]any{"EnabledTypes": types}}
	}
	var enc []any
	for _, e := range blocks(tf, "encryption_config") {
		entry := rename(e, "resources", "Resources")
		if p := block(e, "provider"); p != nil {
			entry["Provider"] = rename(p, "key_arn", "KeyArn")
		}
		enc = append(enc, entry)
	}
	setList(out, "EncryptionConfig", enc)
	return out
}

func eksNodeGroup(tf map[string]any) map[string]any {
	out := rename(tf, "node_group_name", "__name", "cluster_name", "ClusterName", "node_role_arn", "NodeRole", "subnet_ids", "Subnets")
	if b := block(tf, "remote_access"); b != nil {
		out["RemoteAccess"] = rename(b, "ec2_ssh_key", "Ec2SshKey", "source_security_group_ids", "SourceSecurityGroups")
	}
	return out
}

func launchTemplate(tf map[string]any) map[string]any {
	out := rename(tf, "name", "__name")
	if tf["name"] != nil {
		out["LaunchTemplateName"] = tf["name"]
	}
	data := rename(tf, "image_id", "ImageId", "instance_type", "InstanceType", "vpc_security_group_ids", "SecurityGroupIds")
	if b := block(tf, "iam_instance_profile"); b != nil {
		data["IamInstanceProfile"] = rename(b, "name", "Name", "arn", "Arn")
	}
	if b := block(tf, "metadata_options"); b != nil {
		data["MetadataOptions"] = rename(b, "http_tokens", "HttpTokens", "http_put_response_hop_limit", "HttpPutResponseHopLimit")
	}
	var ifaces []any
	for _, n := range blocks(tf, "network_interfaces") {
		ifaces = append(ifaces, rename(n, "associate_public_ip_address", "AssociatePublicIpAddress", "security_groups", "Groups",
			"subnet_id", "SubnetId", "device_index", "DeviceIndex"))
	}
	setList(data, "NetworkInterfaces", ifaces)
	var devices []any
	for _, d := range blocks(tf, "block_device_mappings") {
		ebs := block(d, "ebs")
		enc := any(false)
		if ebs != nil && ebs["encrypted"] != nil {
			enc = ebs["encrypted"]
		}
		devices = append(devices, map[string]any{"DeviceName": d["device_name"], "Ebs": map[string]any{"Encrypted": enc}})
	}
	setList(data, "BlockDeviceMappings", devices)
	out["LaunchTemplateData"] = data
	return out
}

func autoScalingGroup(tf map[string]any) map[string]any {
	out := rename(tf, "name", "__name", "vpc_zone_identifier", "VPCZoneIdentifier", "target_group_arns", "TargetGroupARNs",
		"load_balancers", "LoadBalancerNames", "min_size", "MinSize", "max_size", "MaxSize")
	if b := block(tf, "launch_template"); b != nil {
		out["LaunchTemplate"] = rename(b, "id", "LaunchTemplateId", "name", "LaunchTemplateName", "version", "Version")
	}
	return out
}

func stateMachine(tf map[string]any) map[string]any {
	out := rename(tf, "name", "__name", "role_arn", "RoleArn", "type", "StateMachineType")
	if tf["name"] != nil {
		out["StateMachineName"] = tf["name"]
	}
	setIf(out, "Definition", document(tf["definition"]))
	if b := block(tf, "logging_configuration"); b != nil {
		out["LoggingConfiguration"] = rename(b, "level", "Level", "include_execution_data", "IncludeExecutionData")
	}
	if b := block(tf, "encryption_configuration"); b != nil {
		out["EncryptionConfiguration"] = rename(b, "type", "Type", "kms_key_id", "KmsKeyId")
	}
	return out
}

func codeBuildProject(tf map[string]any) map[string]any {
	out := rename(tf, "name", "__name", "service_role", "ServiceRole")
	if tf["name"] != nil {
		out["Name"] = tf["name"]
	}
	if b := block(tf, "environment"); b != nil {
		out["Environment"] = rename(b, "privileged_mode", "PrivilegedMode", "image", "Image", "compute_type", "ComputeType", "type", "Type")
	}
	return out
}

// metricAlarm lists the dimensions in name order, so the output is stable.
func metricAlarm(tf map[string]any) map[string]any {
	out := rename(tf, "alarm_name", "__name", "alarm_actions", "AlarmActions", "metric_name", "MetricName", "namespace", "Namespace")
	if tf["alarm_name"] != nil {
		out["AlarmName"] = tf["alarm_name"]
	}
	if dims, ok := tf["dimensions"].(map[string]any); ok {
		var list []any
		for _, k := range slices.Sorted(maps.Keys(dims)) {
			list = append(list, map[string]any{"Name": k, "Value": dims[k]})
		}
		setList(out, "Dimensions", list)
	}
	var metrics []any
	for _, q := range blocks(tf, "metric_query") {
		m := block(q, "metric")
		if m == nil {
			continue
		}
		if dims, ok := m["dimensions"].(map[string]any); ok {
			var list []any
			for _, k := range slices.Sorted(maps.Keys(dims)) {
				list = append(list, map[string]any{"Name": k, "Value": dims[k]})
			}
			metrics = append(metrics, map[string]any{"MetricStat": map[string]any{"Metric": map[string]any{"Dimensions": list}}})
		}
	}
	setList(out, "Metrics", metrics)
	return out
}
