# Copyright 2026 The ganeti-dashboard Authors
#
#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.

"""What Ganeti 3.0.2 answers, as data for the fake RAPI (``fake_rapi``).

Measured on the dev sandboxes (Debian bookworm's ``ganeti`` 3.0.2): the
field definitions of ``GET /2/query/<resource>/fields`` for the fields the
fake answers, and ``/2/info`` and a node group without the values each fake
cluster fills in itself (names, uuids, times). Kept verbatim so that a page
that shows a field's title or a cluster setting sees what Ganeti says.
"""

# resource -> field -> (title, kind, doc)
FIELDS = {
    'instance': {
        'admin_state': ('InstanceState', 'text', 'Desired state of instance'),
        'admin_up': ('Autostart', 'bool', 'Desired state of instance'),
        'be/always_failover': (
            'be/always_failover', 'bool',
            'The "always_failover" backend parameter'),
        'be/auto_balance': (
            'Auto_balance', 'bool',
            'The "auto_balance" backend parameter'),
        'be/maxmem': (
            'ConfigMaxMem', 'unit',
            'The "maxmem" backend parameter'),
        'be/memory': (
            'ConfigMaxMem', 'unit',
            'The "maxmem" backend parameter'),
        'be/minmem': (
            'ConfigMinMem', 'unit',
            'The "minmem" backend parameter'),
        'be/spindle_use': (
            'be/spindle_use', 'number',
            'The "spindle_use" backend parameter'),
        'be/vcpus': ('ConfigVCPUs', 'number', 'The "vcpus" backend parameter'),
        'beparams': (
            'BackendParameters', 'other',
            'Backend parameters (merged)'),
        'ctime': ('CTime', 'timestamp', 'Creation timestamp'),
        'custom_beparams': (
            'CustomBackendParameters', 'other',
            'Custom backend parameters'),
        'custom_hvparams': (
            'CustomHypervisorParameters', 'other',
            'Custom hypervisor parameters'),
        'custom_nicparams': (
            'CustomNicParameters', 'other',
            'Custom network interface parameters'),
        'disk.count': ('Disks', 'number', 'Number of disks'),
        'disk.names': ('Disk_names', 'other', 'List of disk names'),
        'disk.sizes': ('Disk_sizes', 'other', 'List of disk sizes'),
        'disk.spindles': ('Disk_spindles', 'other', 'List of disk spindles'),
        'disk.uuids': ('Disk_UUIDs', 'other', 'List of disk UUIDs'),
        'disk_template': ('Disk_template', 'text', 'Instance disk template'),
        'disk_usage': (
            'DiskUsage', 'unit',
            'Total disk space used by instance on each of its nodes; this '
            'is not the disk size visible to the instance, but the usage on'
            ' the node'),
        'hvparams': (
            'HypervisorParameters', 'other',
            'Hypervisor parameters (merged)'),
        'hypervisor': ('Hypervisor', 'text', 'Hypervisor name'),
        'mtime': ('MTime', 'timestamp', 'Modification timestamp'),
        'name': ('Instance', 'text', 'Instance name'),
        'network_port': (
            'Network_port', 'other',
            'Instance network port if available (e.g. for VNC console)'),
        'nic.bridges': (
            'NIC_bridges', 'other',
            "List containing each network interface's bridge"),
        'nic.count': ('NICs', 'number', 'Number of network interfaces'),
        'nic.ips': (
            'NIC_IPs', 'other',
            "List containing each network interface's IP address"),
        'nic.links': (
            'NIC_links', 'other',
            "List containing each network interface's link"),
        'nic.macs': (
            'NIC_MACs', 'other',
            "List containing each network interface's MAC address"),
        'nic.modes': (
            'NIC_modes', 'other',
            "List containing each network interface's mode"),
        'nic.names': (
            'NIC_Names', 'other',
            "List containing each network interface's name"),
        'nic.networks': (
            'NIC_networks', 'other',
            "List containing each interface's network"),
        'nic.networks.names': (
            'NIC_networks_names', 'other',
            "List containing the name of each interface's network"),
        'nic.uuids': (
            'NIC_UUIDs', 'other',
            "List containing each network interface's UUID"),
        'oper_ram': (
            'Memory', 'unit',
            'Actual memory usage as seen by hypervisor'),
        'oper_state': ('Running', 'bool', 'Actual state of instance'),
        'oper_vcpus': (
            'VCPUs', 'number',
            'Actual number of VCPUs as seen by hypervisor'),
        'os': ('OS', 'text', 'Operating system'),
        'pnode': ('Primary_node', 'text', 'Primary node'),
        'serial_no': (
            'SerialNo', 'number',
            'Instance object serial number, incremented on each '
            'modification'),
        'snodes': (
            'Secondary_Nodes', 'other',
            'Secondary nodes; usually this will just be one node'),
        'status': (
            'Status', 'text',
            'Instance status; "running" if instance is set to be running '
            'and actually is, "ADMIN_down" if instance is stopped and is '
            'not running, "ERROR_wrongnode" if instance running, but not on'
            ' its designated primary node, "ERROR_up" if instance should be'
            ' stopped, but is actually running, "ERROR_down" if instance '
            'should run, but doesn\'t, "ERROR_nodedown" if instance\'s '
            'primary node is down, "ERROR_nodeoffline" if instance\'s '
            'primary node is marked offline, "ADMIN_offline" if instance is'
            ' offline and does not use dynamic resources'),
        'tags': ('Tags', 'other', 'Tags'),
        'uuid': ('UUID', 'text', 'Instance UUID'),
    },
    'node': {
        'cnodes': (
            'CNodes', 'number',
            'Number of NUMA domains on node (if exported by hypervisor)'),
        'cnos': (
            'CNOs', 'number',
            'Number of logical processors used by the node OS (dom0 for '
            'Xen)'),
        'csockets': (
            'CSockets', 'number',
            'Number of physical CPU sockets (if exported by hypervisor)'),
        'ctime': ('CTime', 'timestamp', 'Creation timestamp'),
        'ctotal': ('CTotal', 'number', 'Number of logical processors'),
        'dfree': ('DFree', 'unit', 'Available storage space on storage unit'),
        'drained': ('Drained', 'bool', 'Whether node is drained'),
        'dtotal': (
            'DTotal', 'unit',
            'Total storage space on storage unit for instance disk '
            'allocation'),
        'group': ('Group', 'text', 'Node group'),
        'group.uuid': ('GroupUUID', 'text', 'UUID of node group'),
        'master': ('IsMaster', 'bool', 'Whether node is master'),
        'master_candidate': (
            'MasterC', 'bool',
            'Whether node is a master candidate'),
        'master_capable': (
            'MasterCapable', 'bool',
            'Whether node can become a master candidate'),
        'mfree': (
            'MFree', 'unit',
            'Memory available for instance allocations'),
        'mnode': (
            'MNode', 'unit',
            'Amount of memory used by node (dom0 for Xen)'),
        'mtime': ('MTime', 'timestamp', 'Modification timestamp'),
        'mtotal': (
            'MTotal', 'unit',
            'Total amount of memory of physical machine'),
        'name': ('Node', 'text', 'Node name'),
        'ndparams': ('NodeParameters', 'other', 'Merged node parameters'),
        'offline': ('Offline', 'bool', 'Whether node is marked offline'),
        'pinst_cnt': (
            'Pinst', 'number',
            'Number of instances with this node as primary'),
        'pinst_list': (
            'PriInstances', 'other',
            'List of instances with this node as primary'),
        'pip': ('PrimaryIP', 'text', 'Primary IP address'),
        'role': (
            'Role', 'text',
            'Node role; "M" for master, "C" for master candidate, "R" for '
            'regular, "D" for drained, "O" for offline'),
        'serial_no': (
            'SerialNo', 'number',
            'Node object serial number, incremented on each modification'),
        'sinst_cnt': (
            'Sinst', 'number',
            'Number of instances with this node as secondary'),
        'sinst_list': (
            'SecInstances', 'other',
            'List of instances with this node as secondary'),
        'sip': ('SecondaryIP', 'text', 'Secondary IP address'),
        'spfree': (
            'SpFree', 'number',
            'Available spindles in volume group (exclusive storage only)'),
        'sptotal': (
            'SpTotal', 'number',
            'Total spindles in volume group (exclusive storage only)'),
        'tags': ('Tags', 'other', 'Tags'),
        'uuid': ('UUID', 'text', 'Node UUID'),
        'vm_capable': ('VMCapable', 'bool', 'Whether node can host instances'),
    },
    'job': {
        'archived': ('Archived', 'bool', 'Whether job is archived'),
        'end_ts': (
            'End', 'other',
            'Timestamp of job end (tuple containing seconds and '
            'microseconds)'),
        'id': ('ID', 'number', 'Job ID'),
        'opend': (
            'OpCode_end', 'other',
            'List of opcode execution end timestamps'),
        'opexec': (
            'OpCode_exec', 'other',
            'List of opcode execution start timestamps (after acquiring '
            'locks)'),
        'oplog': ('OpCode_log', 'other', 'List of opcode output logs'),
        'oppriority': ('OpCode_prio', 'other', 'List of opcode priorities'),
        'opresult': ('OpCode_result', 'other', 'List of opcodes results'),
        'ops': ('OpCodes', 'other', 'List of all opcodes'),
        'opstart': (
            'OpCode_start', 'other',
            'List of opcode start timestamps (before acquiring locks)'),
        'opstatus': ('OpCode_status', 'other', 'List of opcodes status'),
        'priority': ('Priority', 'number', 'Current job priority (19 to -20)'),
        'received_ts': (
            'Received', 'other',
            'Timestamp of when job was received (tuple containing seconds '
            'and microseconds)'),
        'start_ts': (
            'Start', 'other',
            'Timestamp of job start (tuple containing seconds and '
            'microseconds)'),
        'status': ('Status', 'text', 'Job status'),
        'summary': ('Summary', 'other', 'List of per-opcode summaries'),
    },
}

# /2/info without name, master, uuid, ctime and mtime.
INFO = \
    {'software_version': '3.0.2',
     'protocol_version': 3000000,
     'config_version': 3000000,
     'os_api_version': 20,
     'export_version': 0,
     'vcs_version': '(ganeti) version 3.0.2-3',
     'architecture': ['64bits', 'x86_64'],
     'default_hypervisor': 'fake',
     'enabled_hypervisors': ['fake'],
     'hvparams': {'fake': {'migration_mode': 'live'}},
     'os_hvp': {},
     'beparams': {'default': {'minmem': 128,
                              'maxmem': 128,
                              'vcpus': 1,
                              'auto_balance': True,
                              'always_failover': False,
                              'spindle_use': 1}},
     'osparams': {},
     'ipolicy': {'minmax': [{'min': {'memory-size': 128,
                                     'disk-size': 1024,
                                     'disk-count': 1,
                                     'cpu-count': 1,
                                     'nic-count': 1,
                                     'spindle-use': 1},
                             'max': {'memory-size': 32768,
                                     'disk-size': 1048576,
                                     'disk-count': 16,
                                     'cpu-count': 8,
                                     'nic-count': 8,
                                     'spindle-use': 12}}],
                 'std': {'memory-size': 128,
                         'disk-size': 1024,
                         'disk-count': 1,
                         'cpu-count': 1,
                         'nic-count': 1,
                         'spindle-use': 1},
                 'spindle-ratio': 32,
                 'vcpu-ratio': 64,
                 'disk-templates': ['file', 'sharedfile', 'diskless']},
     'nicparams': {'default': {'mode': 'bridged',
                               'link': 'gntbr0',
                               'vlan': ''}},
     'ndparams': {'oob_program': '',
                  'spindle_count': 1,
                  'exclusive_storage': False,
                  'ovs': False,
                  'ovs_name': 'switch1',
                  'ovs_link': '',
                  'ssh_port': 22,
                  'cpu_speed': 1},
     'diskparams': {'blockdev': {},
                    'diskless': {},
                    'drbd': {'c-delay-target': 1,
                             'c-fill-target': 0,
                             'c-max-rate': 61440,
                             'c-min-rate': 4096,
                             'c-plan-ahead': 20,
                             'data-stripes': 1,
                             'disk-barriers': 'n',
                             'disk-custom': '',
                             'dynamic-resync': False,
                             'meta-barriers': False,
                             'meta-stripes': 1,
                             'metavg': 'xenvg',
                             'net-custom': '',
                             'protocol': 'C',
                             'resync-rate': 61440},
                    'ext': {'access': 'kernelspace'},
                    'file': {},
                    'gluster': {'access': 'kernelspace',
                                'host': '127.0.0.1',
                                'port': 24007,
                                'volume': 'gv0'},
                    'plain': {'stripes': 1},
                    'rbd': {'access': 'kernelspace', 'pool': 'rbd'},
                    'sharedfile': {}},
     'candidate_pool_size': 10,
     'max_running_jobs': 20,
     'max_tracked_jobs': 25,
     'mac_prefix': 'aa:00:00',
     'master_netdev': 'gntd2',
     'master_netmask': 32,
     'use_external_mip_script': False,
     'volume_group_name': None,
     'drbd_usermode_helper': None,
     'file_storage_dir': '/srv/ganeti/file-storage',
     'shared_file_storage_dir': '/srv/ganeti/shared-file-storage',
     'gluster_storage_dir': '/var/run/ganeti/gluster',
     'maintain_node_health': False,
     'tags': [],
     'uid_pool': [],
     'default_iallocator': 'hail',
     'default_iallocator_params': {},
     'reserved_lvs': [],
     'primary_ip_version': 4,
     'prealloc_wipe_disks': False,
     'hidden_os': [],
     'blacklisted_os': [],
     'enabled_disk_templates': ['diskless', 'file', 'sharedfile'],
     'install_image': '',
     'instance_communication_network': '',
     'zeroing_image': '',
     'compression_tools': ['gzip', 'gzip-fast', 'gzip-slow'],
     'enabled_user_shutdown': False,
     'enabled_data_collectors': {'cpu-avg-load': True,
                                 'diskstats': True,
                                 'drbd': True,
                                 'inst-status-xen': True,
                                 'lv': True,
                                 'xen-cpu-avg-load': True},
     'data_collector_interval': {'cpu-avg-load': 5000000,
                                 'diskstats': 5000000,
                                 'drbd': 5000000,
                                 'inst-status-xen': 5000000,
                                 'lv': 5000000,
                                 'xen-cpu-avg-load': 5000000},
     'modify_ssh_setup': False,
     'ssh_key_type': 'rsa',
     'ssh_key_bits': 2048,
     'vg_name': None,
     'drbd_helper': None}

# A node group of /2/groups?bulk=1 without name, nodes, uuid and times,
# nor ipolicy, diskparams and ndparams: a group has the cluster's.
GROUP = \
    {'alloc_policy': 'preferred',
     'custom_ipolicy': {},
     'custom_diskparams': {},
     'custom_ndparams': {},
     'serial_no': 1,
     'tags': []}
