"""Model providers behind one small interface: depth of a picture, or a generated picture.

- runway: Runway hosted models — `GET {url}` status (starting/running), `GET {url}/info`
  fields, `POST {url}/query` with images as data URIs.
- huggingface: Inference endpoints — image bytes in; image bytes, or JSON with a base64
  `depth`, out; 503 "loading" with `estimated_time` is waited out.
- replicate: the predictions API (and self-hosted Cog containers), polled to a result.
Each call runs on a worker thread; none touches GL. Each operation runs inside its client's
`scrubbed()`, so no error leaving a provider carries a secret, server text included.
"""

from __future__ import annotations

import base64
import time
from typing import Any, Callable, Protocol

import numpy as np

from shaderlab.io.save import png_bytes
from shaderlab.models.codec import decode_image, from_base64, to_data_uri, to_depth
from shaderlab.models.http import Client, ModelError, Response
from shaderlab.models.redact import excerpt, public_url

StatusCallback = Callable[[str], None]


class Provider(Protocol):
    name: str

    def depth(self, pixels: np.ndarray) -> np.ndarray: ...

    def generate(self, params: dict[str, Any]) -> np.ndarray: ...

    def transform(self, pixels: np.ndarray, params: dict[str, Any]) -> np.ndarray:
        """Image to image: the picture sent with the model's params, a picture back."""
        ...


class RunwayProvider:
    """A Runway-style hosted model: may be asleep; wakes when asked, reports 'waking' meanwhile."""

    name = "runway"

    def __init__(self, url: str, client: Client, input_field: str | None = None, output_field: str | None = None,
                 wake_timeout: float = 90.0, poll: float = 1.0, on_status: StatusCallback = lambda s: None):
        self.url = url.rstrip("/")
        self.client = client
        self.input_field = input_field
        self.output_field = output_field
        self.wake_timeout = wake_timeout
        self.poll = poll
        self.on_status = on_status

    def wait_until_running(self) -> None:
        end = time.monotonic() + self.wake_timeout
        while True:
            answer = self.client.request("GET", self.url).json(public_url(self.url))
            status = answer.get("status") if isinstance(answer, dict) else None
            if status == "running":
                self.on_status("ready")
                return
            if status != "starting":
                raise ModelError(f"{public_url(self.url)}: unexpected status {excerpt(str(status), 40)!r} (expected starting or running)")
            if time.monotonic() + self.poll > end:
                raise ModelError(f"{public_url(self.url)}: still starting after {self.wake_timeout:g} s; try again later")
            self.on_status("waking")
            self.client.wait(self.poll, self.url)

    def fields(self) -> tuple[str, str]:
        """The input and output field names: configured, else the first image of each in /info."""
        if self.input_field and self.output_field:
            return self.input_field, self.output_field
        where = public_url(self.url + "/info")
        info = self.client.request("GET", self.url + "/info").json(where)

        def first_image(key: str) -> str:
            for field in info.get(key, []) if isinstance(info, dict) else []:
                if isinstance(field, dict) and field.get("type") == "image" and isinstance(field.get("name"), str):
                    return field["name"]
            raise ModelError(f"{where}: no image {key[:-1]} listed; name it in the model's configuration")

        return self.input_field or first_image("inputs"), self.output_field or first_image("outputs")

    def query(self, pixels: np.ndarray | None, extra: dict[str, Any]) -> np.ndarray:
        with self.client.scrubbed():
            return self._query(pixels, extra)

    def _query(self, pixels: np.ndarray | None, extra: dict[str, Any]) -> np.ndarray:
        self.wait_until_running()
        input_field, output_field = self.fields()
        body = dict(extra)
        if pixels is not None:
            body[input_field] = to_data_uri(pixels)
        self.on_status("busy")
        where = public_url(self.url + "/query")
        answer = self.client.request("POST", self.url + "/query", json_body=body).json(where)
        if not isinstance(answer, dict) or output_field not in answer:
            raise ModelError(f"{where}: the answer has no {output_field!r} field")
        image = decode_image(from_base64(answer[output_field], where), where)
        self.on_status("ready")
        return image

    def depth(self, pixels: np.ndarray) -> np.ndarray:
        return to_depth(self.query(pixels, {}))

    def generate(self, params: dict[str, Any]) -> np.ndarray:
        return self.query(None, params)

    def transform(self, pixels: np.ndarray, params: dict[str, Any]) -> np.ndarray:
        return self.query(pixels, params)


class ReplicateProvider:
    """Replicate's predictions API, or a self-hosted Cog container (`cog=True`: POST /predictions).

    Asks with `Prefer: wait`, then polls `GET /v1/predictions/{id}` until succeeded, failed or
    canceled; outputs may be URLs (fetched with the same limits, and without the token unless on
    the configured host) or data URIs, alone or in a list.
    """

    name = "replicate"
    TERMINAL = ("succeeded", "failed", "canceled")

    def __init__(self, base: str, client: Client, model: str | None = None, version: str | None = None,
                 input_field: str = "image", cog: bool = False, poll: float = 1.0, on_status: StatusCallback = lambda s: None):
        self.base = base.rstrip("/")
        self.client = client
        self.model = model
        self.version = version
        self.input_field = input_field
        self.cog = cog
        self.poll = poll
        self.on_status = on_status

    def _create_url(self) -> str:
        if self.cog:
            return self.base + "/predictions"
        if self.version:
            return self.base + "/v1/predictions"
        if not self.model:
            raise ModelError("replicate: name a model (owner/name) or a version in the configuration")
        return f"{self.base}/v1/models/{self.model}/predictions"

    def predict(self, inputs: dict[str, Any]) -> np.ndarray:
        with self.client.scrubbed():
            return self._predict(inputs)

    def _predict(self, inputs: dict[str, Any]) -> np.ndarray:
        body: dict[str, Any] = {"input": inputs}
        if self.version and not self.cog:
            body["version"] = self.version
        self.on_status("busy")
        url = self._create_url()
        prediction = self.client.request("POST", url, json_body=body, headers={"Prefer": "wait"}).json(public_url(url))
        while isinstance(prediction, dict) and prediction.get("status") not in self.TERMINAL and not self.cog:
            if "id" not in prediction:
                raise ModelError(f"{public_url(url)}: a prediction without an id")
            self.on_status(self.client.redact(excerpt(str(prediction.get("status", "waiting")), 40)))
            self.client.wait(self.poll, url)
            poll_url = f"{self.base}/v1/predictions/{prediction['id']}"
            prediction = self.client.request("GET", poll_url).json(public_url(poll_url))
        if not isinstance(prediction, dict):
            raise ModelError(f"{public_url(url)}: the answer is not a prediction object")
        status = prediction.get("status", "succeeded" if self.cog else None)
        if status != "succeeded":
            reason = prediction.get("error") or status
            raise ModelError(f"{public_url(url)}: the prediction {excerpt(str(status), 40)}: {excerpt(str(reason), 200)}")
        image = self._output_image(prediction.get("output"), url)
        self.on_status("ready")
        return image

    def _output_image(self, output: Any, url: str) -> np.ndarray:
        where = public_url(url)
        if isinstance(output, list):
            output = output[-1] if output else None
        if isinstance(output, dict):
            output = next((v for v in output.values() if isinstance(v, str)), None)
        if not isinstance(output, str):
            raise ModelError(f"{where}: the prediction has no image output")
        if output.startswith("data:"):
            return decode_image(from_base64(output, where), where)
        # An output URL: same limits and scheme rule; the token only if it is the configured host.
        response = self.client.request("GET", output)
        return decode_image(response.body, public_url(output))

    def depth(self, pixels: np.ndarray) -> np.ndarray:
        return to_depth(self.predict({self.input_field: to_data_uri(pixels)}))

    def generate(self, params: dict[str, Any]) -> np.ndarray:
        return self.predict(dict(params))

    def transform(self, pixels: np.ndarray, params: dict[str, Any]) -> np.ndarray:
        return self.predict({**params, self.input_field: to_data_uri(pixels)})


class HuggingFaceProvider:
    """A Hugging Face inference endpoint for depth estimation or image generation."""

    name = "huggingface"

    def __init__(self, url: str, client: Client, on_status: StatusCallback = lambda s: None):
        self.url = url
        self.client = client
        self.on_status = on_status

    def _loading(self, response: Response) -> float | None:
        """503 {"error": "... loading", "estimated_time": 20.0}: wait that long (capped)."""
        try:
            payload = response.json("")
        except ModelError:
            return None
        if not isinstance(payload, dict) or "estimated_time" not in payload:
            return None
        try:
            eta = float(payload["estimated_time"])
        except (TypeError, ValueError):
            return None
        if not 0 <= eta < float("inf"):  # NaN fails this too
            return None
        self.on_status(f"warming, about {eta:.0f} s")
        return eta

    def _call(self, **request: Any) -> np.ndarray:
        with self.client.scrubbed():
            return self._ask(**request)

    def _ask(self, **request: Any) -> np.ndarray:
        self.on_status("busy")
        response = self.client.request("POST", self.url, wait_hint=self._loading, **request)
        where = public_url(self.url)
        if response.content_type.startswith("image/"):
            image = decode_image(response.body, where)
        elif response.content_type == "application/json":
            answer = response.json(where)
            if isinstance(answer, list) and answer:
                answer = answer[0]
            key = next((k for k in ("depth", "image", "generated_image") if isinstance(answer, dict) and k in answer), None)
            if key is None:
                raise ModelError(f"{where}: the JSON answer has no depth or image field")
            image = decode_image(from_base64(answer[key], where), where)
        else:
            raise ModelError(f"{where}: answered {response.content_type or 'no content type'}, not an image or JSON")
        self.on_status("ready")
        return image

    def depth(self, pixels: np.ndarray) -> np.ndarray:
        return to_depth(self._call(data=png_bytes(pixels[..., :3], compress_level=1), headers={"Content-Type": "image/png"}))

    def generate(self, params: dict[str, Any]) -> np.ndarray:
        return self._call(json_body={"inputs": params.get("prompt", ""), "parameters": params})

    def transform(self, pixels: np.ndarray, params: dict[str, Any]) -> np.ndarray:
        """Image-to-image endpoints take the picture as base64 "inputs", options as "parameters"."""
        encoded = base64.b64encode(png_bytes(pixels[..., :3], compress_level=1)).decode("ascii")
        return self._call(json_body={"inputs": encoded, "parameters": params})
