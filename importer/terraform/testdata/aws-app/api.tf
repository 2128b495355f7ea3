resource "aws_apigatewayv2_api" "webhooks" {
  name          = "${local.name}-webhooks"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "webhooks" {
  api_id           = aws_apigatewayv2_api.webhooks.id
  integration_type = "AWS_PROXY"
  integration_uri  = aws_lambda_function.worker.invoke_arn
}

resource "aws_apigatewayv2_route" "webhooks" {
  api_id             = aws_apigatewayv2_api.webhooks.id
  route_key          = "POST /hooks"
  authorization_type = "JWT"
  target             = "integrations/${aws_apigatewayv2_integration.webhooks.id}"
}

resource "aws_apigatewayv2_stage" "webhooks" {
  api_id = aws_apigatewayv2_api.webhooks.id
  name   = "$default"

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.webhooks.arn
    format          = "$context.requestId"
  }

  default_route_settings {
    throttling_rate_limit  = 50
    throttling_burst_limit = 100
  }
}

resource "aws_cloudwatch_log_group" "webhooks" {
  name              = "/aws/apigateway/${local.name}-webhooks"
  retention_in_days = 90
  kms_key_id        = aws_kms_key.main.arn
}

resource "aws_lambda_permission" "webhooks" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.worker.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.webhooks.execution_arn}/*/*"
}
