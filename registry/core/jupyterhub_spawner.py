# JupyterHub configuration for Kubeflow (kubeflow/core, rendered by kfctl).
# Notebook servers are spawned as pods by KubeSpawner; the form lets users pick an image and resources.
import os

from kubespawner.spawner import KubeSpawner


class KubeFormSpawner(KubeSpawner):
    """KubeSpawner with a form for the notebook image, CPU, memory and GPUs."""

    def _options_form_default(self):
        return '''
    <label for='image'>Image</label>&nbsp;
    <input name='image' placeholder='repo/image:tag' value='{image}'></input><br/><br/>
    <label for='cpu_guarantee'>CPU</label>&nbsp;
    <input name='cpu_guarantee' placeholder='500m, 1.0, 2.0'></input><br/><br/>
    <label for='mem_guarantee'>Memory</label>&nbsp;
    <input name='mem_guarantee' placeholder='100Mi, 1.5Gi'></input><br/><br/>
    <label for='extra_resource_limits'>Extra resource limits</label>&nbsp;
    <input name='extra_resource_limits' placeholder='{{"nvidia.com/gpu": 1}}'></input><br/><br/>
    '''.format(image=self.image)

    def options_from_form(self, formdata):
        options = {}
        image = formdata.get('image', [''])[0].strip()
        if image:
            options['image'] = image
        for key in ('cpu_guarantee', 'mem_guarantee'):
            value = formdata.get(key, [''])[0].strip()
            if value:
                options[key] = value
        extra = formdata.get('extra_resource_limits', [''])[0].strip()
        if extra:
            import json
            options['extra_resource_limits'] = json.loads(extra)
        return options

    async def start(self):
        opts = self.user_options or {}
        if 'image' in opts:
            self.image = opts['image']
        if 'cpu_guarantee' in opts:
            self.cpu_guarantee = float(opts['cpu_guarantee']) if opts['cpu_guarantee'].replace('.', '', 1).isdigit() else opts['cpu_guarantee']
        if 'mem_guarantee' in opts:
            self.mem_guarantee = opts['mem_guarantee']
        if 'extra_resource_limits' in opts:
            self.extra_resource_limits = opts['extra_resource_limits']
        return await super().start()


c = get_config()  # noqa: F821 (provided by JupyterHub)

c.JupyterHub.ip = '0.0.0.0'
c.JupyterHub.hub_ip = '0.0.0.0'
c.JupyterHub.port = 8000
c.JupyterHub.hub_port = 8081
c.JupyterHub.base_url = '/'
c.JupyterHub.cleanup_servers = False
c.JupyterHub.spawner_class = KubeFormSpawner

c.KubeSpawner.namespace = os.environ.get('POD_NAMESPACE', 'kubeflow')
c.KubeSpawner.image = 'jupyter/tensorflow-notebook:latest'
c.KubeSpawner.cmd = 'start-singleuser.sh'
c.KubeSpawner.args = ['--allow-root']
c.KubeSpawner.start_timeout = 60 * 10
c.KubeSpawner.http_timeout = 60 * 2
c.KubeSpawner.uid = 1000
c.KubeSpawner.fs_gid = 100
